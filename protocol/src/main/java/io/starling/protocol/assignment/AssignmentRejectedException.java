package io.starling.protocol.assignment;

/** Why an agent does not act on a check-in answer's signed statement; the message is one line for a human. */
public final class AssignmentRejectedException extends RuntimeException {

    public enum Reason {
        /** The answer carries no statement at all. */
        MISSING,
        MALFORMED, TOO_LARGE, BAD_SIGNATURE,
        /** Signed for another agent. */
        OTHER_AGENT,
        /** Expired by a time the control plane's clock is known to have reached. */
        EXPIRED,
        /** Older than one accepted already, and saying something else: a replayed answer. */
        REPLAYED
    }

    private final Reason reason;

    public AssignmentRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "assignment refused (" + reason + "): " + getMessage();
    }
}
