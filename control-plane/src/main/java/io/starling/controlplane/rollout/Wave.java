package io.starling.controlplane.rollout;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.List;

/** One wave of a rollout; changed only by whoever holds its rollout's row lock. */
@Entity
@Table(name = "rollout_wave")
public class Wave extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Version
    @Column(name = "row_version", nullable = false)
    long rowVersion;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "rollout_id")
    public Rollout rollout;

    /** 0 for the first wave. */
    @Column(nullable = false)
    public int position;

    @Column(nullable = false)
    public String name;

    /** How the request chose this wave's agents, as JSON: shown, never queried. */
    @Column(name = "selector_json", nullable = false)
    public String selectorJson;

    @Column(name = "success_threshold", nullable = false)
    public int successThreshold;

    @Column(name = "error_threshold", nullable = false)
    public int errorThreshold;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private WaveState state = WaveState.PENDING;

    @Column(name = "agent_count", nullable = false)
    public int agentCount;

    @Column(name = "started_at")
    public Instant startedAt;

    /** When a running wave that has not reached its success threshold pauses the rollout; null: never. */
    @Column(name = "times_out_at")
    public Instant timesOutAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    public WaveState state() {
        return state;
    }

    /** The only way a wave changes state: through its transition table, and recorded for the live feed. */
    public void moveTo(WaveState next, Instant now) {
        WaveState from = state;
        state = state.transitionTo(next);
        if (next == WaveState.RUNNING) {
            startedAt = now;
        } else if (next.isFinal()) {
            finishedAt = now;
        }
        RolloutEventRecorder.waveMoved(this, from, now);
    }

    static List<Wave> of(Rollout rollout) {
        return list("rollout = ?1 order by position", rollout);
    }
}
