package io.starling.agent.sync;

import io.starling.agent.state.DeploymentNames;
import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.DeploymentStatusReport;
import io.starling.protocol.agent.DesiredDeployment;
import io.starling.protocol.names.NameRules;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The check-in answer's deployments, held to the name rules before anything of them is
 * journalled or becomes a path. A refused deployment with a proper id is reported FAILED with
 * {@value DeploymentStatusReport#INVALID_DEPLOYMENT}, once; one without a proper id has nothing
 * to be reported under, and is only logged, at every check-in that repeats it.
 */
final class DeploymentRefusals {

    private static final Logger LOG = Logger.getLogger(DeploymentRefusals.class);

    private final Reporter reporter;
    /** Refusals the control plane has heard of (or will never accept): not repeated. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final Set<String> unassigned = ConcurrentHashMap.newKeySet();

    DeploymentRefusals(Reporter reporter) {
        this.reporter = reporter;
    }

    /** Why the agent must not act on {@code d}; empty when it may. */
    static Optional<String> problem(DesiredDeployment d) {
        Optional<String> names = DeploymentNames.problem(d.id(), d.product(), d.version());
        if (names.isPresent()) {
            return names;
        }
        if (d.manifest() == null || d.signature() == null) {
            return Optional.of("it has no manifest or no signature");
        }
        return Optional.empty();
    }

    /**
     * A deployment the signed assignment does not give this agent: not run, and not reported (it
     * may be another agent's, whose report would not be ours to send). Logged once per id and reason.
     */
    void unassigned(DesiredDeployment d, String why) {
        if (unassigned.add(d.id() + "\n" + why)) {
            LOG.warnf("Not running deployment %s (%s %s): %s", NameRules.printable(String.valueOf(d.id())),
                    NameRules.printable(String.valueOf(d.product())), NameRules.printable(String.valueOf(d.version())), why);
        }
    }

    /** Logs {@code d}, and reports it FAILED if it has an id to report under. */
    void refuse(DesiredDeployment d, String problem) {
        if (!NameRules.isId(d.id())) {
            LOG.warnf("Ignoring a deployment in the check-in answer: %s", problem);
            return;
        }
        if (reported.contains(d.id())) {
            return;
        }
        LOG.warnf("Refusing deployment %s: %s; reporting it %s", d.id(), problem, DeploymentStatusReport.INVALID_DEPLOYMENT);
        Reporter.Outcome outcome = reporter.send(d.id(), DeploymentStatusReport.failed(
                DeploymentStatusReport.INVALID_DEPLOYMENT, "The agent refused the deployment: " + problem + ".",
                BytesBySource.NONE));
        if (outcome != Reporter.Outcome.NOT_SENT) {
            reported.add(d.id());
        }
    }
}
