package io.starling.agent.verify;

import io.starling.protocol.agent.SignedAssignment;
import io.starling.protocol.assignment.Assignment;
import java.time.Instant;

/** Checks an assignment statement against the keys the agent trusts now (pinned, or from the root's key set). */
public interface AssignmentKeys {

    /**
     * The statement, checked: signed by a trusted key, for {@code agentId}, not expired by
     * {@code timeFloor} (a time the control plane's clock is known to have reached; null if none
     * yet), and not older than {@code lastAccepted} unless it says the same.
     *
     * @throws io.starling.protocol.assignment.AssignmentRejectedException whose reason and message the agent logs
     */
    Assignment verifyAssignment(SignedAssignment signed, String agentId, Instant timeFloor, Assignment lastAccepted);
}
