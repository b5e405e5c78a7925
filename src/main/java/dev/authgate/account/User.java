package dev.authgate.account;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** The {@code user} auth table: self-signup allowed by default. */
@Entity(name = "User")
@Table(name = "\"user\"")
public class User extends Account {
}
