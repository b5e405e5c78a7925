package dev.authgate.session;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One issued authToken. A token is accepted only while its session exists: deleting it revokes the token. */
@Entity
@Table(name = "auth_session")
public class AuthSession extends PanacheEntityBase {

    @Id
    public UUID jti;

    @Column(nullable = false)
    public String dbtable;

    @Column(name = "account_id", nullable = false)
    public long accountId;

    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;

    /** Null when the token never expires. */
    @Column(name = "expires_at")
    public Instant expiresAt;

    /** The client's address and user agent when the token was issued (null when not issued over HTTP). */
    public String ip;

    @Column(name = "user_agent")
    public String userAgent;

    /**
     * Opened by proving the account's password (sign-up, login, a password change or reset): such a session may
     * prove the address for the first time without the password being voided (migration V11).
     */
    @Column(nullable = false)
    public boolean password;
}
