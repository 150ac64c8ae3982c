package io.starling.controlplane.fleet;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.annotations.DynamicUpdate;

/** An enrolled machine: its identity, where it is, and what it said at its last check-in. */
@Entity
@Table(name = "agent")
// A check-in loads the agent and writes its inventory back. Hibernate writes every column by
// default, so a check-in racing an admin's revoke would write ACTIVE over REVOKED (seen in
// AgentsIT): with dynamic updates a check-in writes only the columns it changed.
@DynamicUpdate
public class Agent extends PanacheEntityBase {

    @Id
    public UUID id;

    /** Its Keycloak client; bearer tokens name it (see {@link CallingAgent}). */
    @Column(name = "client_id", nullable = false, unique = true)
    public String clientId;

    @Column(nullable = false)
    public String hostname;

    @Column(name = "agent_version")
    public String agentVersion;

    /** The effective site: the pinned one, else the one its address fell into at the last check-in. */
    public String site;

    /** The enrollment token's site, if it had one; it wins over the address. */
    @Column(name = "pinned_site")
    public String pinnedSite;

    @Column(nullable = false)
    public String[] labels = new String[0];

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private AgentState state = AgentState.ACTIVE;

    @Column(nullable = false)
    public String passkey;

    @Column(name = "enrollment_token_id")
    public UUID enrollmentTokenId;

    @Column(name = "enrolled_at", nullable = false)
    public Instant enrolledAt;

    @Column(name = "last_check_in")
    public Instant lastCheckIn;

    @Column(name = "last_address")
    public String lastAddress;

    @Column(name = "free_disk_bytes")
    public Long freeDiskBytes;

    @Column(name = "installed_json", nullable = false)
    public String installedJson = "[]";

    @Column(name = "revoked_at")
    public Instant revokedAt;

    /** The expiry of the newest signed assignment the agent said it holds, at its last check-in. */
    @Column(name = "assignment_valid_until")
    public Instant assignmentValidUntil;

    /** Set while the agent says it is frozen: since when (its assignment expired with no newer one reaching it). */
    @Column(name = "frozen_since")
    public Instant frozenSince;

    /** Why the agent refused the last check-in answer it got, as it said; null when it took it. */
    @Column(name = "assignment_problem")
    public String assignmentProblem;

    @Column(name = "revoked_by")
    public String revokedBy;

    public AgentState state() {
        return state;
    }

    /** The only way an agent changes state: through the transition table. */
    public void moveTo(AgentState next) {
        state = state.transitionTo(next);
    }

    public boolean active() {
        return state == AgentState.ACTIVE;
    }

    public static Optional<Agent> byClientId(String clientId) {
        return find("clientId", clientId).firstResultOptional();
    }
}
