package io.starling.agent.sync;

/**
 * The control plane answered the enrollment, but the agent will not keep that answer: a pinned
 * manifest key is missing, or the token URL may not carry credentials. Nothing was saved.
 */
public final class EnrollmentRefusedException extends RuntimeException {

    public EnrollmentRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
