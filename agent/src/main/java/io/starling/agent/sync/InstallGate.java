package io.starling.agent.sync;

import io.starling.protocol.agent.InstallPolicy;
import java.time.Instant;

/**
 * Whether a downloaded deployment may be installed now, by its {@link InstallPolicy} and the
 * control plane's time. Download-only holds until the control plane lifts it (a deadline does
 * not override a hold an operator chose); a deadline that has passed overrides the window; a
 * window that closed before the agent heard of a newer one holds until the next check-in brings it.
 */
final class InstallGate {

    /**
     * @param install whether to install now
     * @param waiting when not: why, for the operator (a status report's detail)
     * @param wakeAt  when not: when to ask again by the control plane's clock, without waiting for
     *                a check-in (null: at the next check-in)
     */
    record Decision(boolean install, String waiting, Instant wakeAt) {

        static final Decision NOW = new Decision(true, null, null);
    }

    static final String DOWNLOAD_ONLY = "download only: waiting for install";

    private InstallGate() {
    }

    static Decision decide(InstallPolicy policy, Instant serverNow) {
        if (policy.downloadOnly()) {
            return new Decision(false, DOWNLOAD_ONLY, null);
        }
        if (policy.deadline() != null && !serverNow.isBefore(policy.deadline())) {
            return Decision.NOW;
        }
        if (!policy.hasWindow()) {
            return Decision.NOW;
        }
        if (!serverNow.isBefore(policy.windowOpensAt()) && serverNow.isBefore(policy.windowClosesAt())) {
            return Decision.NOW;
        }
        String deadline = policy.deadline() == null ? "" : " (deadline " + policy.deadline() + ")";
        if (serverNow.isBefore(policy.windowOpensAt())) {
            Instant wake = policy.deadline() != null && policy.deadline().isBefore(policy.windowOpensAt())
                    ? policy.deadline() : policy.windowOpensAt();
            return new Decision(false, "waiting for the maintenance window opening at " + policy.windowOpensAt()
                    + deadline, wake);
        }
        return new Decision(false, "waiting for the next maintenance window (the last one known closed at "
                + policy.windowClosesAt() + ")" + deadline, policy.deadline());
    }
}
