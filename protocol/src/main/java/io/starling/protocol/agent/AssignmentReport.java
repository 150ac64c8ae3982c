package io.starling.protocol.agent;

import java.time.Instant;

/**
 * What an agent says at check-in about the signed assignment it acts under, so that the control
 * plane learns of a freeze (or of answers refused on the way) as soon as a check-in gets through.
 *
 * @param sequence       the newest assignment the agent accepted, or null before its first
 * @param validUntil     that assignment's expiry, by the control plane's clock as the agent knows it
 * @param frozenSince    when the agent found itself frozen (its last assignment expired with no
 *                       newer one accepted, or none ever came); null while it is not frozen
 * @param problem        why the agent used nothing of the last check-in answer it got, one line
 *                       starting with a stable word (an assignment refusal such as
 *                       {@code EXPIRED: …} or {@code BAD_SIGNATURE: …}); null when it took the last one
 * @param lastFailure    why the previous check-in attempt failed as the agent saw it (an answer
 *                       over its size cap, one cut off at the request deadline, a refusal), one
 *                       line; null when the previous attempt succeeded
 */
public record AssignmentReport(Long sequence, Instant validUntil, Instant frozenSince, String problem,
                               String lastFailure) {

    /** Longest {@code problem} or {@code lastFailure} an agent sends, and the control plane keeps. */
    public static final int MAX_TEXT = 500;

    public AssignmentReport {
        problem = clip(problem);
        lastFailure = clip(lastFailure);
    }

    public boolean frozen() {
        return frozenSince != null;
    }

    private static String clip(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
    }
}
