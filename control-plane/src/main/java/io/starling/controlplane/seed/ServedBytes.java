package io.starling.controlplane.seed;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Bytes the server itself sent, per torrent (v1 info-hash, hex): counted by the web seed here,
 * and by the origin seeder's libtorrent session. The swarm numbers set them beside what peers report.
 */
@ApplicationScoped
public class ServedBytes {

    private final Map<String, LongAdder> webSeed = new ConcurrentHashMap<>();
    private final OriginSeeder origin;
    private final SeedMetrics metrics;

    ServedBytes(OriginSeeder origin, SeedMetrics metrics) {
        this.origin = origin;
        this.metrics = metrics;
    }

    /** One place counts web seed bytes: per torrent here, and in total for Prometheus. */
    void webSeedServed(String infoHashV1, long bytes) {
        webSeed.computeIfAbsent(infoHashV1, k -> new LongAdder()).add(bytes);
        metrics.webSeedServed(bytes);
    }

    /** Bytes the origin seeder uploaded to peers, from its libtorrent session. */
    public long origin(String infoHashV1) {
        return origin.uploadedBytes(infoHashV1);
    }

    public long webSeed(String infoHashV1) {
        LongAdder a = webSeed.get(infoHashV1);
        return a == null ? 0 : a.sum();
    }
}
