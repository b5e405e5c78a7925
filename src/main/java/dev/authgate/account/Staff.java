package dev.authgate.account;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** The {@code staff} auth table: accounts made by administrators or bootstrapped, no self-signup. */
@Entity(name = "Staff")
@Table(name = "staff")
public class Staff extends Account {
}
