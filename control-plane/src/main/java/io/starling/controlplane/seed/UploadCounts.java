package io.starling.controlplane.seed;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Payload bytes the origin seeder uploaded in this process, per torrent and in total, from
 * libtorrent's per-torrent counters. A torrent's count outlives its seeding: it is what the
 * swarm numbers show for this run.
 */
final class UploadCounts {

    private final Map<String, Counter> uploads = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();
    private final LongConsumer uploaded;

    /** @param uploaded told each increase of the total, on the caller's thread */
    UploadCounts(LongConsumer uploaded) {
        this.uploaded = uploaded;
    }

    /** The torrent was added to the session: libtorrent's counter for it starts at zero again. */
    void added(String infoHashV1) {
        uploads.computeIfAbsent(infoHashV1, k -> new Counter()).restart();
    }

    /** libtorrent's payload upload counter of the torrent, since it was added, now reads {@code sessionTotal}. */
    void observe(String infoHashV1, long sessionTotal) {
        Counter c = uploads.get(infoHashV1);
        if (c != null) {
            long delta = c.observe(sessionTotal);
            if (delta > 0) {
                total.addAndGet(delta);
                uploaded.accept(delta);
            }
        }
    }

    long of(String infoHashV1) {
        Counter c = uploads.get(infoHashV1);
        return c == null ? 0 : c.total();
    }

    long total() {
        return total.get();
    }

    /** Turns libtorrent's per-add payload counter into one that only grows. */
    private static final class Counter {
        private long total;
        private long lastSeen;

        synchronized long observe(long sessionTotal) {
            long delta = sessionTotal >= lastSeen ? sessionTotal - lastSeen : sessionTotal;
            lastSeen = sessionTotal;
            total += delta;
            return delta;
        }

        synchronized void restart() {
            lastSeen = 0;
        }

        synchronized long total() {
            return total;
        }
    }
}
