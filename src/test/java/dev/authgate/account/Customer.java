package dev.authgate.account;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** Test only: a third auth table (see V900__test_customer_table.sql and RecordsTest's profile). */
@Entity(name = "Customer")
@Table(name = "customer")
public class Customer extends Account {
}
