package dev.authgate.account;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A row of an auth table. Every auth table has these columns (see the migrations); adding a table is an
 * entity extending this class, a migration and a line of configuration.
 */
@MappedSuperclass
public abstract class Account extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "created_at", nullable = false, updatable = false, insertable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public String name;

    /** Trimmed and lower-cased before it is stored; unique per table. */
    @Column(nullable = false)
    public String email;

    @Column(name = "password_hash", nullable = false)
    public String passwordHash;

    public String role;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public Map<String, Object> extras = new HashMap<>();

    /** Whether the account has proved its email (a verification, reset, magic-link or email-change mail). */
    @Column(nullable = false)
    public boolean verified;
}
