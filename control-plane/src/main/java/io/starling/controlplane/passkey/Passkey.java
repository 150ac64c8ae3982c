package io.starling.controlplane.passkey;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A secret in announce and web seed URLs that names who is downloading; revoking it shuts them out. */
@Entity
@Table(name = "passkey")
public class Passkey extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "passkey", nullable = false, unique = true)
    public String value;

    @Column(nullable = false)
    public String owner;

    public String label;

    /**
     * The agent it was issued to at enrollment; null for a person's (or a script's) passkey. An
     * agent's passkey is revoked with the agent and fetches only releases deployed to it.
     */
    @Column(name = "agent_id")
    public UUID agentId;

    /** The holder's site when an admin set one; otherwise the tracker goes by the announcing address. */
    public String site;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    public boolean active() {
        return revokedAt == null;
    }

    public static Optional<Passkey> byValue(String value) {
        return find("value", value).firstResultOptional();
    }

    public static Optional<Passkey> activeOf(String owner) {
        return find("owner = ?1 and revokedAt is null order by id", owner).firstResultOptional();
    }
}
