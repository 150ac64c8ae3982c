package io.starling.controlplane.tracker;

/**
 * A refused announce or scrape. BitTorrent clients understand only a bencoded
 * {@code failure reason} (BEP 3), so this never becomes an HTTP error status.
 */
public final class TrackerRefusal extends RuntimeException {

    public TrackerRefusal(String reason) {
        super(reason, null, false, false); // no stack trace: refusals are routine and frequent
    }
}
