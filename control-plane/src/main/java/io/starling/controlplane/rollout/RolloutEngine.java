package io.starling.controlplane.rollout;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.starling.controlplane.catalog.Catalog;
import io.starling.controlplane.catalog.Release;
import io.starling.controlplane.catalog.ReleaseEvent;
import io.starling.controlplane.catalog.ReleaseState;
import io.starling.controlplane.deployment.DeploymentEvent;
import io.starling.controlplane.deployment.Deployments;
import io.starling.controlplane.fleet.AgentEvent;
import io.starling.protocol.agent.DeploymentState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Takes a rollout's decisions: start it, start its waves, finish it, pause it at a threshold, a
 * timeout or a revoked release. Every decision is taken holding the rollout's row lock and from
 * what the database says, never from memory, so that replicas and concurrent status reports
 * take each decision once and a restarted control plane carries on where it was. Deployments'
 * state changes arrive as events after their commit; a pass every few seconds starts scheduled
 * rollouts and catches up with anything an event did not bring (a crash between the two).
 */
@ApplicationScoped
public class RolloutEngine {

    private static final Logger LOG = Logger.getLogger(RolloutEngine.class);
    static final int MAX_DETAIL = 2000;
    private static final int NAMED_FAILURES = 10;

    private final Deployments deployments;
    private final DynamicRollouts dynamic;

    RolloutEngine(Deployments deployments, DynamicRollouts dynamic) {
        this.deployments = deployments;
        this.dynamic = dynamic;
    }

    @Scheduled(every = "${starling.rollouts.evaluate-every:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pass() {
        List<UUID> due = QuarkusTransaction.requiringNew().call(() -> Rollout.getEntityManager().createQuery(
                        "select r.id from Rollout r where r.state = :running"
                                + " or (r.state = :scheduled and (r.startAt is null or r.startAt <= :now))", UUID.class)
                .setParameter("running", RolloutState.RUNNING).setParameter("scheduled", RolloutState.SCHEDULED)
                .setParameter("now", Instant.now()).getResultList());
        due.forEach(this::evaluateQuietly);
    }

    /** A deployment moved, and its change is committed: its rollouts may have a threshold to act on. */
    void onDeployment(@Observes(during = TransactionPhase.AFTER_SUCCESS) DeploymentEvent event) {
        try {
            List<UUID> rollouts = QuarkusTransaction.requiringNew().call(() -> Rollout.getEntityManager().createQuery(
                            "select distinct ra.rolloutId from RolloutAgent ra where ra.deployment.id = :d", UUID.class)
                    .setParameter("d", event.deploymentId()).getResultList());
            rollouts.forEach(this::evaluateQuietly);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not look up the rollouts of deployment %s; the next pass will", event.deploymentId());
        }
    }

    /** A revoked release stops every rollout of it that has not ended. */
    void onRelease(@Observes(during = TransactionPhase.AFTER_SUCCESS) ReleaseEvent event) {
        if (event.kind() != ReleaseEvent.Kind.REVOKED) {
            return;
        }
        List<UUID> ids = QuarkusTransaction.requiringNew().call(() -> Rollout.getEntityManager().createQuery(
                        "select r.id from Rollout r where r.release.product.name = :p and r.release.version = :v"
                                + " and r.state in :open", UUID.class)
                .setParameter("p", event.product()).setParameter("v", event.version())
                .setParameter("open", List.of(RolloutState.SCHEDULED, RolloutState.RUNNING, RolloutState.PAUSED))
                .getResultList());
        for (UUID id : ids) {
            try {
                QuarkusTransaction.requiringNew().run(() -> Rollout.lock(id).ifPresent(
                        r -> releaseRevoked(r, Instant.now())));
            } catch (RuntimeException e) {
                LOG.warnf(e, "Could not pause rollout %s for its revoked release; the next pass will", id);
            }
        }
    }

    /**
     * An agent enrolled or changed site, and that is committed: dynamic rollouts that have not
     * ended may take it in. Enrollments and site changes are rare, so this costs nothing per
     * check-in; the 5 s pass catches up with anything this misses (a crash after the commit).
     */
    void onAgent(@Observes(during = TransactionPhase.AFTER_SUCCESS) AgentEvent event) {
        if (event.kind() == AgentEvent.Kind.REVOKED) {
            return;
        }
        try {
            List<UUID> open = QuarkusTransaction.requiringNew().call(() -> Rollout.getEntityManager().createQuery(
                            "select r.id from Rollout r where r.dynamic = true and r.state not in :ended", UUID.class)
                    .setParameter("ended", List.of(RolloutState.FINISHED, RolloutState.CANCELLED, RolloutState.DENIED))
                    .getResultList());
            open.forEach(this::evaluateQuietly);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not offer agent %s to dynamic rollouts; the next pass will", event.agentId());
        }
    }

    /** Takes whatever decisions are due on this rollout now, in a transaction of its own. */
    public void evaluate(UUID id) {
        QuarkusTransaction.requiringNew().run(() -> Rollout.lock(id).ifPresent(r -> step(r, Instant.now())));
    }

    private void evaluateQuietly(UUID id) {
        try {
            evaluate(id);
        } catch (RuntimeException e) {
            // Nothing was decided (the transaction rolled back); the next pass tries again.
            LOG.warnf(e, "Could not evaluate rollout %s", id);
        }
    }

    /** Call holding the rollout's lock. */
    void step(Rollout r, Instant now) {
        if (r.state() == RolloutState.SCHEDULED && (r.startAt == null || !r.startAt.isAfter(now))) {
            r.moveTo(RolloutState.RUNNING, now);
            r.startedAt = now;
            LOG.infof("Rollout %s (%s) started", r.id, r.name);
        }
        dynamic.grow(r, now);
        if (r.state() == RolloutState.RUNNING) {
            run(r, now);
        }
    }

    /**
     * Evaluates the running waves, then starts the next wave if none runs and the rollout may go
     * on by itself. Each round either returns or starts a wave, so it ends. Call holding the lock.
     */
    void run(Rollout r, Instant now) {
        if (r.release.state() != ReleaseState.PUBLISHED) {
            releaseRevoked(r, now);
            return;
        }
        while (true) {
            List<Wave> waves = Wave.of(r);
            boolean running = false;
            for (Wave w : waves) {
                if (w.state() != WaveState.RUNNING) {
                    continue;
                }
                WaveProgress p = progress(w, r.mode);
                if (p.reachedErrors(w.errorThreshold)) {
                    w.moveTo(WaveState.FAILED, now);
                    pause(r, PauseReason.ERROR_THRESHOLD, failures(w, p), now);
                    return;
                }
                boolean openEnded = r.dynamic && w.position == waves.size() - 1;
                if (openEnded && p.reachedSuccess(w.successThreshold)) {
                    // A dynamic rollout's last wave stays open for agents that match later (as
                    // hawkBit's dynamic group): the rollout runs until it is cancelled. Newcomers
                    // install at their own pace, so the wave timeout no longer applies.
                    w.timesOutAt = null;
                    running = true;
                } else if (p.reachedSuccess(w.successThreshold)) {
                    w.moveTo(WaveState.SUCCEEDED, now);
                    LOG.infof("Rollout %s: wave '%s' succeeded (%d of %d)", r.id, w.name, p.succeeded(), p.size());
                } else if (w.timesOutAt != null && !now.isBefore(w.timesOutAt)) {
                    pause(r, PauseReason.WAVE_TIMEOUT, "Wave '" + w.name + "' reached " + p.succeeded() + " of " + p.size()
                            + " (success threshold " + w.successThreshold + " %) within the wave timeout of "
                            + Duration.ofSeconds(r.waveTimeoutSeconds) + ".", now);
                    return;
                } else {
                    running = true;
                }
            }
            if (running) {
                return;
            }
            Optional<Wave> next = waves.stream().filter(w -> w.state() == WaveState.PENDING).findFirst();
            if (next.isEmpty()) {
                r.moveTo(RolloutState.FINISHED, now);
                r.finishedAt = now;
                LOG.infof("Rollout %s (%s) finished", r.id, r.name);
                return;
            }
            boolean firstWave = waves.stream().allMatch(w -> w.state() == WaveState.PENDING);
            if (!firstWave && r.advance == Advance.MANUAL) {
                return;
            }
            if (!startWave(r, next.get(), now)) {
                return;
            }
        }
    }

    /**
     * Creates the wave's deployments and links them to its agents, in the caller's transaction:
     * the wave is RUNNING exactly when its deployments exist. An agent that already has a
     * deployment of this release keeps it, and the wave follows that one. Call holding the lock.
     *
     * @return false when the release turned out revoked (the rollout is paused then)
     */
    boolean startWave(Rollout r, Wave w, Instant now) {
        // Under the release's lock, as every deployment request: no deployment of a release revoked meanwhile.
        Release release = Catalog.lockRelease(r.release.product.name, r.release.version);
        if (release.state() != ReleaseState.PUBLISHED) {
            releaseRevoked(r, now);
            return false;
        }
        var em = Rollout.getEntityManager();
        List<UUID> agents = em.createQuery("select ra.agent.id from RolloutAgent ra where ra.wave = :w", UUID.class)
                .setParameter("w", w).getResultList();
        int created = deployments.createFor(release, agents, "rollout " + r.name, RolloutInstallPolicy.of(r));
        em.flush();
        em.createNativeQuery("update rollout_agent ra set deployment_id = d.id from deployment d"
                        + " where ra.wave_id = :w and d.agent_id = ra.agent_id and d.release_id = :r")
                .setParameter("w", w.id).setParameter("r", release.id).executeUpdate();
        w.moveTo(WaveState.RUNNING, now);
        w.timesOutAt = r.waveTimeoutSeconds == null ? null : now.plusSeconds(r.waveTimeoutSeconds);
        LOG.infof("Rollout %s: wave '%s' started, %d deployments created for %d agents", r.id, w.name, created,
                agents.size());
        return true;
    }

    void pause(Rollout r, PauseReason reason, String detail, Instant now) {
        r.pauseReason = reason;
        r.pauseDetail = truncate(detail);
        r.moveTo(RolloutState.PAUSED, now);
        LOG.infof("Rollout %s (%s) paused: %s %s", r.id, r.name, reason, r.pauseDetail);
    }

    /** Call holding the lock. */
    void releaseRevoked(Rollout r, Instant now) {
        String detail = "Release " + r.release.product.name + " " + r.release.version + " was revoked: its deployments"
                + " that had not started installing are cancelled, and this rollout can only be cancelled.";
        switch (r.state()) {
            case SCHEDULED -> {
                // Through RUNNING, as the table has it: the rollout shows why it will never start.
                r.moveTo(RolloutState.RUNNING, now);
                pause(r, PauseReason.RELEASE_REVOKED, detail, now);
            }
            case RUNNING -> pause(r, PauseReason.RELEASE_REVOKED, detail, now);
            case PAUSED -> {
                r.pauseReason = PauseReason.RELEASE_REVOKED;
                r.pauseDetail = detail;
                r.updatedAt = now;
            }
            default -> {
            }
        }
    }

    /** The wave's deployments by state, as its thresholds count them. */
    static WaveProgress progress(Wave w, RolloutMode mode) {
        Map<DeploymentState, Long> by = new EnumMap<>(DeploymentState.class);
        Rollout.getEntityManager().createQuery("select d.state, count(d) from RolloutAgent ra join ra.deployment d"
                        + " where ra.wave = :w group by d.state", Object[].class)
                .setParameter("w", w).getResultList()
                .forEach(row -> by.put((DeploymentState) row[0], (Long) row[1]));
        long all = by.values().stream().mapToLong(Long::longValue).sum();
        long size = all - by.getOrDefault(DeploymentState.CANCELLED, 0L);
        long succeeded = by.getOrDefault(DeploymentState.INSTALLED, 0L);
        if (mode == RolloutMode.DOWNLOAD_ONLY) {
            succeeded += by.getOrDefault(DeploymentState.DOWNLOADED, 0L) + by.getOrDefault(DeploymentState.INSTALLING, 0L);
        }
        return new WaveProgress((int) size, (int) succeeded, by.getOrDefault(DeploymentState.FAILED, 0L).intValue());
    }

    /** "Wave 'canary': 2 of 4 deployments failed (error threshold 5 %): host (id): reason, exit code 3; …" */
    private static String failures(Wave w, WaveProgress p) {
        List<Object[]> rows = Rollout.getEntityManager().createQuery("select a.hostname, a.id, d.reason, d.exitCode"
                        + " from RolloutAgent ra join ra.deployment d join ra.agent a where ra.wave = :w and d.state = :failed"
                        + " order by d.updatedAt, a.id", Object[].class)
                .setParameter("w", w).setParameter("failed", DeploymentState.FAILED).setMaxResults(NAMED_FAILURES)
                .getResultList();
        StringBuilder b = new StringBuilder("Wave '").append(w.name).append("': ").append(p.failed()).append(" of ")
                .append(p.size()).append(" deployments failed (error threshold ").append(w.errorThreshold).append(" %): ");
        for (int i = 0; i < rows.size(); i++) {
            Object[] row = rows.get(i);
            b.append(i == 0 ? "" : "; ").append(row[0]).append(" (").append(row[1]).append("): ")
                    .append(row[2] == null ? "no reason given" : row[2]);
            if (row[3] != null) {
                b.append(", exit code ").append(row[3]);
            }
        }
        if (p.failed() > rows.size()) {
            b.append("; and ").append(p.failed() - rows.size()).append(" more");
        }
        return b.append('.').toString();
    }

    static String truncate(String s) {
        return s == null || s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL - 1) + "…";
    }
}
