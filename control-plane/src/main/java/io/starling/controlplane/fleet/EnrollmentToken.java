package io.starling.controlplane.fleet;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A limited-use, expiring credential an admin hands to machines so they can enroll. Only the
 * SHA-256 of its value is stored: a database dump does not let anyone enroll.
 */
@Entity
@Table(name = "enrollment_token")
public class EnrollmentToken extends PanacheEntityBase {

    /** What an admin sees of a token; derived, never stored. */
    public enum Status {
        ACTIVE,
        USED_UP,
        EXPIRED,
        REVOKED
    }

    @Id
    public UUID id;

    @Column(name = "token_hash", nullable = false, unique = true)
    public String tokenHash;

    @Column(name = "uses_total", nullable = false)
    public int usesTotal;

    @Column(name = "uses_left", nullable = false)
    public int usesLeft;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    public String site;

    @Column(nullable = false)
    public String[] labels = new String[0];

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoked_by")
    public String revokedBy;

    public Status status(Instant now) {
        if (revokedAt != null) {
            return Status.REVOKED;
        }
        if (!now.isBefore(expiresAt)) {
            return Status.EXPIRED;
        }
        return usesLeft > 0 ? Status.ACTIVE : Status.USED_UP;
    }

    /**
     * Row lock until the enrolling transaction ends: two machines enrolling with the last use of
     * one token at once are served one after the other, and the second finds it used up.
     */
    static Optional<EnrollmentToken> byHashForUpdate(String tokenHash) {
        return find("tokenHash", tokenHash).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }
}
