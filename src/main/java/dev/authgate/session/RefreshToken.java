package dev.authgate.session;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One refresh token handed out (migration V18): its id is the token's first part, its secret only a keyed hash. */
@Entity
@Table(name = "refresh_token")
public class RefreshToken extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public UUID family;

    @Column(nullable = false)
    public byte[] hash;

    /** The token key the hash (and the sealed successor) are keyed with. */
    @Column(nullable = false)
    public String kid;

    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;

    /** Null while this is the family's newest token. */
    @Column(name = "rotated_at")
    public Instant rotatedAt;

    /** The rotation's answer, sealed under the presented secret: for an identical retry within the grace. */
    public byte[] successor;
}
