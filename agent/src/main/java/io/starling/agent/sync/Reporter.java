package io.starling.agent.sync;

import io.starling.protocol.agent.DeploymentStatusReport;
import org.jboss.logging.Logger;

/**
 * Sends deployment status reports. A report that cannot be sent is not queued here: the journal
 * remembers which state the control plane has not heard of yet, and the daemon sends those after
 * every successful check-in, also after a restart. Progress ticks are simply dropped meanwhile.
 */
public final class Reporter {

    /** What became of a report. */
    public enum Outcome {
        SENT,
        /** The control plane was not reachable; the journal still says it must hear of this state. */
        NOT_SENT,
        /** The control plane refused the move (409) or no longer knows the deployment (404). */
        REFUSED
    }

    private static final Logger LOG = Logger.getLogger(Reporter.class);

    private final ControlPlaneClient client;

    public Reporter(ControlPlaneClient client) {
        this.client = client;
    }

    public Outcome send(String deploymentId, DeploymentStatusReport report) {
        try {
            client.report(deploymentId, report);
            return Outcome.SENT;
        } catch (ControlPlaneException e) {
            if (e.conflict() || e.status() == 404) {
                LOG.infof("The control plane refused the %s report of deployment %s: %s", report.state(), deploymentId,
                        e.getMessage());
                return Outcome.REFUSED;
            }
            LOG.debugf("Report of deployment %s not sent: %s", deploymentId, e.getMessage());
            return Outcome.NOT_SENT;
        }
    }
}
