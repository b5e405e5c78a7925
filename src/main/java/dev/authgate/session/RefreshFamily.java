package dev.authgate.session;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A sign-in's refresh tokens (migration V18): it belongs to one session and ends with it. */
@Entity
@Table(name = "refresh_family")
public class RefreshFamily extends PanacheEntityBase {

    /** The session every token of the family is minted for. */
    @Id
    @Column(name = "session_jti")
    public UUID session;

    /** The OpenID client it was granted to; null for an API group's {@code auth/refresh}. */
    @Column(name = "client_id")
    public String clientId;

    public String scope;

    @Column(nullable = false)
    public int aal;

    /** RFC 8176 method names, space-separated. */
    @Column(nullable = false)
    public String amr;

    @Column(name = "auth_time", nullable = false)
    public Instant authTime;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;
}
