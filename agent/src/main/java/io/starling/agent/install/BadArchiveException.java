package io.starling.agent.install;

/** An archive that is damaged, of an unknown kind, or holds an entry that is refused. */
final class BadArchiveException extends Exception {

    BadArchiveException(String message) {
        super(message);
    }
}
