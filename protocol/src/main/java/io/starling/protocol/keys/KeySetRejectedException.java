package io.starling.protocol.keys;

/** Why a key set is not taken; the message is one line for a human. */
public final class KeySetRejectedException extends RuntimeException {

    public enum Reason {
        MALFORMED, TOO_LARGE, BAD_SIGNATURE, EXPIRED, NOT_YET_VALID, ROLLBACK
    }

    private final Reason reason;

    public KeySetRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "key set rejected (" + reason + "): " + getMessage();
    }
}
