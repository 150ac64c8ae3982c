package io.starling.controlplane.catalog;

/**
 * Fired inside the transaction that publishes or revokes a release. Observers that act on the
 * outside world (the origin seeder, the tracker's registry) use
 * {@code @Observes(during = TransactionPhase.AFTER_SUCCESS)} so they never act on a rollback.
 */
public record ReleaseEvent(Kind kind, String product, String version) {

    public enum Kind {
        PUBLISHED,
        REVOKED
    }
}
