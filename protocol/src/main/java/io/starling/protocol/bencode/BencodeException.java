package io.starling.protocol.bencode;

/**
 * Bencoded input that is not well formed, or a value that has no bencoded form.
 * Unchecked because both are programming or peer errors that callers turn into one refusal
 * (a tracker {@code failure reason}, a rejected .torrent), not something to recover from locally.
 */
public final class BencodeException extends RuntimeException {

    public BencodeException(String message) {
        super(message);
    }
}
