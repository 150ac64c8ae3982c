package io.starling.controlplane.rollout;

import io.starling.controlplane.catalog.ReleaseState;
import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.deployment.Deployments;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Carries out operators' controls on a rollout, each under the rollout's row lock. */
@ApplicationScoped
public class RolloutControls {

    private static final Logger LOG = Logger.getLogger(RolloutControls.class);

    private final RolloutEngine engine;
    private final Deployments deployments;
    private final RolloutViews views;
    private final RolloutsConfig config;

    RolloutControls(RolloutEngine engine, Deployments deployments, RolloutViews views, RolloutsConfig config) {
        this.engine = engine;
        this.deployments = deployments;
        this.views = views;
        this.config = config;
    }

    /**
     * A second admin lets a waiting rollout go: it is scheduled, and starts at once when its start
     * time has come (as a rollout created without approvals does).
     */
    @Transactional
    public RolloutView approve(String id, String actor, String comment) {
        Rollout r = decidable(id, actor, "approve");
        refuseIfRevoked(r);
        Instant now = Instant.now();
        decide(r, actor, comment, now);
        r.moveTo(RolloutState.SCHEDULED, now);
        LOG.infof("Rollout %s (%s) approved by %s", r.id, r.name, actor);
        engine.step(r, now);
        return views.view(r);
    }

    /** A second admin refuses a waiting rollout: it ends DENIED, having created no deployment. */
    @Transactional
    public RolloutView deny(String id, String actor, String comment) {
        Rollout r = decidable(id, actor, "deny");
        Instant now = Instant.now();
        decide(r, actor, comment, now);
        r.moveTo(RolloutState.DENIED, now);
        r.finishedAt = now;
        for (Wave w : Wave.of(r)) {
            w.moveTo(WaveState.CANCELLED, now);
        }
        LOG.infof("Rollout %s (%s) denied by %s", r.id, r.name, actor);
        return views.view(r);
    }

    /**
     * The state is checked first: approving twice, or approving a rollout that never waited, is a
     * conflict (409) whoever asks. The creator is then refused with 403, not 409: nothing about
     * the rollout's state would ever let them decide on it; who they are is the reason, which is
     * what 403 says (and the audit log records it as DENIED).
     */
    private Rollout decidable(String id, String actor, String verb) {
        Rollout r = RolloutViews.lock(id);
        if (r.state() != RolloutState.WAITING_FOR_APPROVAL) {
            throw refused(r, "only a rollout waiting for approval can be " + (verb.equals("approve") ? "approved" : "denied")
                    + (config.approvalRequired() ? "" : " (approvals are off: starling.rollouts.approval-required"
                    + " is false, so rollouts start without one)"));
        }
        if (r.createdBy.equals(actor)) {
            throw new DomainException.Forbidden("Rollout '" + r.name + "' was created by " + actor + "; its creator cannot "
                    + verb + " it. Another admin must decide (four eyes); the creator may cancel it.");
        }
        return r;
    }

    private static void decide(Rollout r, String actor, String comment, Instant now) {
        r.decidedBy = actor;
        r.decidedAt = now;
        r.decisionComment = comment == null || comment.isBlank() ? null : comment.strip();
    }

    @Transactional
    public RolloutView pause(String id, String actor) {
        Rollout r = RolloutViews.lock(id);
        if (r.state() != RolloutState.RUNNING) {
            throw refused(r, "only a running rollout can be paused");
        }
        engine.pause(r, PauseReason.OPERATOR, "Paused by " + actor + ".", Instant.now());
        return views.view(r);
    }

    /**
     * Goes on where it stopped. A wave that had timed out gets the wave timeout again; after an
     * error threshold the failed wave stays failed, and the next starts (AUTO) or waits (MANUAL).
     */
    @Transactional
    public RolloutView resume(String id, String actor) {
        Rollout r = RolloutViews.lock(id);
        if (r.state() != RolloutState.PAUSED) {
            throw refused(r, "only a paused rollout can be resumed");
        }
        refuseIfRevoked(r);
        Instant now = Instant.now();
        r.moveTo(RolloutState.RUNNING, now);
        r.pauseReason = null;
        r.pauseDetail = null;
        for (Wave w : Wave.of(r)) {
            if (w.state() == WaveState.RUNNING && w.timesOutAt != null && !now.isBefore(w.timesOutAt)) {
                w.timesOutAt = now.plusSeconds(r.waveTimeoutSeconds);
            }
        }
        engine.run(r, now);
        return views.view(r);
    }

    /** Ends the rollout: waves not ended are cancelled, and so are its deployments not installing yet. */
    @Transactional
    public RolloutView cancel(String id, String actor) {
        Rollout r = RolloutViews.lock(id);
        if (r.state().isFinal()) {
            throw refused(r, "it has ended already");
        }
        Instant now = Instant.now();
        r.moveTo(RolloutState.CANCELLED, now);
        r.finishedAt = now;
        for (Wave w : Wave.of(r)) {
            if (!w.state().isFinal()) {
                w.moveTo(WaveState.CANCELLED, now);
            }
        }
        deployments.cancelAllOf(deploymentIds(r), "Rollout '" + r.name + "' cancelled by " + actor + ".");
        return views.view(r);
    }

    /**
     * Starts the next wave now: past a MANUAL gate, ahead of a wave still short of its success
     * threshold (which keeps running, without its timeout), or out of a pause.
     */
    @Transactional
    public RolloutView advance(String id, String actor) {
        Rollout r = RolloutViews.lock(id);
        if (r.state() != RolloutState.RUNNING && r.state() != RolloutState.PAUSED) {
            throw refused(r, "only a running or paused rollout can advance");
        }
        refuseIfRevoked(r);
        List<Wave> waves = Wave.of(r);
        Wave next = waves.stream().filter(w -> w.state() == WaveState.PENDING).findFirst()
                .orElseThrow(() -> new DomainException.Conflict("Rollout '" + r.name + "' is " + r.state().label()
                        + " and every wave has started already; there is nothing to advance to."));
        Instant now = Instant.now();
        if (r.state() == RolloutState.PAUSED) {
            r.moveTo(RolloutState.RUNNING, now);
            r.pauseReason = null;
            r.pauseDetail = null;
        }
        waves.stream().filter(w -> w.state() == WaveState.RUNNING).forEach(w -> w.timesOutAt = null);
        if (engine.startWave(r, next, now)) {
            engine.run(r, now);
        }
        return views.view(r);
    }

    /**
     * Turns a download-only rollout into an install: its deployments may install now (agents hear
     * it at their next check-in), and waves yet to start install too. A finished download-only
     * rollout (every agent pre-staged) can be turned too; it stays finished, and its status shows
     * the installs as they come.
     */
    @Transactional
    public RolloutView install(String id, String actor) {
        Rollout r = RolloutViews.lock(id);
        if (r.mode != RolloutMode.DOWNLOAD_ONLY) {
            throw refused(r, "its mode is " + r.mode + " already; only a " + RolloutMode.DOWNLOAD_ONLY
                    + " rollout can be turned into an install");
        }
        if (r.state() == RolloutState.CANCELLED) {
            throw refused(r, "a cancelled rollout installs nothing");
        }
        refuseIfRevoked(r);
        r.mode = RolloutMode.INSTALL;
        r.updatedAt = Instant.now();
        int allowed = deployments.allowInstall(deploymentIds(r));
        LOG.infof("Rollout %s (%s) turned into an install by %s: %d deployments may install", r.id, r.name, actor, allowed);
        return views.view(r);
    }

    private static List<UUID> deploymentIds(Rollout r) {
        return Rollout.getEntityManager().createQuery("select ra.deployment.id from RolloutAgent ra"
                + " where ra.rolloutId = :id and ra.deployment is not null", UUID.class).setParameter("id", r.id)
                .getResultList();
    }

    private static void refuseIfRevoked(Rollout r) {
        if (r.pauseReason == PauseReason.RELEASE_REVOKED || r.release.state() != ReleaseState.PUBLISHED) {
            throw new DomainException.Conflict("Rollout '" + r.name + "' is " + r.state().label() + " because release "
                    + r.release.product.name + " " + r.release.version + " was revoked; it can only be cancelled.");
        }
    }

    private static DomainException.Conflict refused(Rollout r, String why) {
        return new DomainException.Conflict("Rollout '" + r.name + "' is " + r.state().label() + "; " + why + ".");
    }
}
