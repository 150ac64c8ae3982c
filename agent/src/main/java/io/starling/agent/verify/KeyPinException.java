package io.starling.agent.verify;

/** The enrollment answer holds none of the manifest keys the admin pinned. */
public final class KeyPinException extends RuntimeException {

    public KeyPinException(String message) {
        super(message);
    }
}
