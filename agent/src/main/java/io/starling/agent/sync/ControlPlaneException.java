package io.starling.agent.sync;

/**
 * A call to the control plane that did not succeed. {@link #status()} is the HTTP status, or 0
 * when the control plane was not reached at all; {@link #getMessage()} is one line for a human,
 * taken from the problem+json detail when there is one.
 */
public class ControlPlaneException extends RuntimeException {

    private final int status;

    public ControlPlaneException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public boolean unreachable() {
        return status == 0 || status == 502 || status == 503 || status == 504;
    }

    /** 401: the credentials were refused; the agent was revoked, or its client disabled. */
    public boolean unauthorized() {
        return status == 401;
    }

    /** 409: the control plane has moved the deployment on (e.g. cancelled it). */
    public boolean conflict() {
        return status == 409;
    }
}
