package io.starling.protocol.manifest;

/**
 * Why an agent refuses a manifest. The reason is what the agent reports to the control plane;
 * the message is one line for a human.
 */
public final class ManifestRejectedException extends RuntimeException {

    public enum Reason {
        MALFORMED, TOO_LARGE, UNKNOWN_KEY, BAD_SIGNATURE, EXPIRED, NOT_YET_VALID, ROLLBACK, BAD_ARTIFACT
    }

    private final Reason reason;

    public ManifestRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ManifestRejectedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "manifest rejected (" + reason + "): " + getMessage();
    }
}
