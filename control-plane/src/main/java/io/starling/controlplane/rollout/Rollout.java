package io.starling.controlplane.rollout;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.starling.controlplane.catalog.Release;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.LockModeType;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A release sent to a target in waves. Its rows are the whole of its progress: nothing is kept in memory. */
@Entity
@Table(name = "rollout")
public class Rollout extends PanacheEntityBase {

    @Id
    public UUID id;

    /**
     * Optimistic lock: decisions are taken under a row lock ({@link #lock}); this turns any path
     * that does not into a refused write (409) instead of a silently lost update.
     */
    @Version
    @Column(name = "row_version", nullable = false)
    long rowVersion;

    @Column(nullable = false)
    public String name;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "release_id")
    public Release release;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private RolloutState state = RolloutState.SCHEDULED;

    @Enumerated(EnumType.STRING)
    @Column(name = "pause_reason")
    public PauseReason pauseReason;

    @Column(name = "pause_detail")
    public String pauseDetail;

    @Column(name = "success_threshold", nullable = false)
    public int successThreshold;

    @Column(name = "error_threshold", nullable = false)
    public int errorThreshold;

    @Column(name = "wave_timeout_seconds")
    public Long waveTimeoutSeconds;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Advance advance;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public RolloutMode mode;

    @Column(name = "start_at")
    public Instant startAt;

    public Instant deadline;

    @Column(name = "target_json", nullable = false)
    public String targetJson;

    @Column(name = "maintenance_window_json")
    public String maintenanceWindowJson;

    /**
     * Agents that come to match the target later (enrolled, or moved to a targeted site) join the
     * last wave while the rollout has not ended; such a rollout never finishes by itself.
     */
    @Column(nullable = false)
    public boolean dynamic;

    /** Who approved or denied it (never its creator), when, and what they said; null until then. */
    @Column(name = "decided_by")
    public String decidedBy;

    @Column(name = "decided_at")
    public Instant decidedAt;

    @Column(name = "decision_comment")
    public String decisionComment;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public RolloutState state() {
        return state;
    }

    /** Before it is persisted: a new rollout waits for approval instead of being scheduled. */
    void awaitApproval() {
        if (state != RolloutState.SCHEDULED || startedAt != null) {
            throw new IllegalStateException("only a new rollout can wait for approval");
        }
        state = RolloutState.WAITING_FOR_APPROVAL;
    }

    /**
     * The only way a rollout changes state: through its transition table, and recorded for the
     * live feed in the same transaction. A pause's reason is set before, so that the event names it.
     */
    public void moveTo(RolloutState next, Instant now) {
        RolloutState from = state;
        state = state.transitionTo(next);
        updatedAt = now;
        RolloutEventRecorder.rolloutMoved(this, from, now);
    }

    /**
     * The rollout read under a row lock ({@code SELECT … FOR UPDATE}): every decision on a rollout
     * (a control, a threshold, a timeout) is taken holding it, so that replicas and concurrent
     * status reports take each decision once. Locking an entity already read does not read it
     * again; the refresh reads the row as it is once the lock is held. Call inside a transaction.
     */
    static Optional<Rollout> lock(UUID id) {
        Optional<Rollout> found = findByIdOptional(id);
        found.ifPresent(r -> getEntityManager().refresh(r, LockModeType.PESSIMISTIC_WRITE));
        return found;
    }
}
