package io.starling.agent.sync;

import io.starling.protocol.agent.DeploymentStatusReport;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Sends deployment status reports, and keeps the latest unsent one per deployment while the
 * control plane is unreachable: the data plane never waits for the control plane, and what
 * happened on the machine reaches it once it is back. Only the latest report of a deployment
 * matters, so a long outage costs one entry per deployment, not one per progress tick.
 */
public final class Reporter {

    /** What the control plane made of a report. */
    public enum Outcome {
        SENT,
        /** Kept for later: the control plane was not reachable. */
        QUEUED,
        /** The control plane refused the move (409): the deployment was cancelled or moved on. */
        REFUSED
    }

    private static final Logger LOG = Logger.getLogger(Reporter.class);

    private final ControlPlaneClient client;
    private final Map<String, DeploymentStatusReport> pending = new LinkedHashMap<>();

    public Reporter(ControlPlaneClient client) {
        this.client = client;
    }

    public Outcome send(String deploymentId, DeploymentStatusReport report) {
        synchronized (pending) {
            pending.remove(deploymentId);
        }
        try {
            client.report(deploymentId, report);
            return Outcome.SENT;
        } catch (ControlPlaneException e) {
            if (e.conflict() || e.status() == 404) {
                LOG.infof("Control plane refused the %s report of deployment %s: %s", report.state(), deploymentId,
                        e.getMessage());
                return Outcome.REFUSED;
            }
            synchronized (pending) {
                pending.putIfAbsent(deploymentId, report);
            }
            LOG.debugf("Report of deployment %s queued: %s", deploymentId, e.getMessage());
            return Outcome.QUEUED;
        }
    }

    /** Sends what was queued, oldest first; stops at the first failure. */
    public void flush() {
        while (true) {
            Map.Entry<String, DeploymentStatusReport> next;
            synchronized (pending) {
                if (pending.isEmpty()) {
                    return;
                }
                next = pending.entrySet().iterator().next();
            }
            Outcome outcome = send(next.getKey(), next.getValue());
            if (outcome == Outcome.QUEUED) {
                return;
            }
        }
    }

    public int queued() {
        synchronized (pending) {
            return pending.size();
        }
    }
}
