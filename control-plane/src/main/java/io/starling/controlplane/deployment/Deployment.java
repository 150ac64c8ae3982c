package io.starling.controlplane.deployment;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.starling.controlplane.catalog.Release;
import io.starling.controlplane.fleet.Agent;
import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.DeploymentState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/** One agent's progress on one release; at most one per agent and release. */
@Entity
@Table(name = "deployment")
public class Deployment extends PanacheEntityBase {

    @Id
    public UUID id;

    /**
     * Optimistic lock: every write of a row checks it was not changed since it was read. Code that
     * decides on the state reads it under a row lock; this turns any path that does not into a
     * refused write (409) instead of a silently lost update.
     */
    @Version
    @Column(name = "row_version", nullable = false)
    long rowVersion;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "agent_id")
    public Agent agent;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "release_id")
    public Release release;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private DeploymentState state = DeploymentState.PENDING;

    @Column(name = "bytes_done", nullable = false)
    public long bytesDone;

    @Column(name = "bytes_total", nullable = false)
    public long bytesTotal;

    /** Cumulative, as the agent last reported them. */
    @Column(name = "bytes_same_site", nullable = false)
    public long bytesSameSite;

    @Column(name = "bytes_other_site", nullable = false)
    public long bytesOtherSite;

    @Column(name = "bytes_origin", nullable = false)
    public long bytesOrigin;

    @Column(name = "bytes_web_seed", nullable = false)
    public long bytesWebSeed;

    public String reason;

    public String detail;

    @Column(name = "exit_code")
    public Integer exitCode;

    /** The last lines of a failing command's output, joined by newlines. */
    public String output;

    /** Set by the creator (a rollout); cleared only by {@link Deployments#allowInstall}. */
    @Column(name = "download_only", nullable = false)
    boolean downloadOnly;

    @Column(name = "window_cron")
    String windowCron;

    @Column(name = "window_duration_seconds")
    Long windowDurationSeconds;

    @Column(name = "window_timezone")
    String windowTimezone;

    @Column(name = "install_deadline")
    Instant installDeadline;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public DeploymentState state() {
        return state;
    }

    /**
     * The only way a deployment changes state: through the protocol's transition table.
     *
     * @throws DeploymentState.IllegalStateTransitionException (409) when the table has no such move
     */
    public void moveTo(DeploymentState next) {
        state = state.transitionTo(next);
    }

    /**
     * Moves through every state between here and {@code reached}, each by the table: what an agent
     * reports after an outage, when it went through several states unheard.
     *
     * @throws DeploymentState.IllegalStateTransitionException (409) when no path leads there
     */
    public void catchUpTo(DeploymentState reached) {
        for (DeploymentState next : state.pathTo(reached).orElseGet(() -> List.of(reached))) {
            moveTo(next);
        }
    }

    void policy(DeploymentPolicy p) {
        downloadOnly = p.downloadOnly();
        MaintenanceWindow w = p.window();
        windowCron = w == null ? null : w.cron();
        windowDurationSeconds = w == null ? null : w.duration().toSeconds();
        windowTimezone = w == null ? null : w.zone().getId();
        installDeadline = p.deadline();
    }

    public DeploymentPolicy policy() {
        MaintenanceWindow w = windowCron == null ? null : new MaintenanceWindow(windowCron,
                Duration.ofSeconds(windowDurationSeconds), ZoneId.of(windowTimezone));
        return new DeploymentPolicy(downloadOnly, w, installDeadline);
    }

    public BytesBySource bytes() {
        return new BytesBySource(bytesSameSite, bytesOtherSite, bytesOrigin, bytesWebSeed);
    }

    void bytes(BytesBySource b) {
        bytesSameSite = b.sameSitePeers();
        bytesOtherSite = b.otherSitePeers();
        bytesOrigin = b.originSeeder();
        bytesWebSeed = b.webSeed();
    }
}
