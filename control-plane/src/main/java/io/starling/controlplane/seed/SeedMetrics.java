package io.starling.controlplane.seed;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bytes the server itself sends to peers; registered at start so dashboards see zeros, not gaps.
 * Origin counters are totals, not per torrent: one time series per artifact would grow without
 * bound. {@link OriginSeeder#uploadedBytes(String)} answers per torrent.
 */
@Startup
@ApplicationScoped
public class SeedMetrics {

    private final Counter webSeedBytes;
    private final Counter originBytes;
    private final Counter originCorrupt;
    private final AtomicInteger originTorrents = new AtomicInteger();

    SeedMetrics(MeterRegistry registry) {
        this.webSeedBytes = Counter.builder("starling.webseed.bytes").baseUnit("bytes")
                .description("Artifact bytes the web seed answered with").register(registry);
        this.originBytes = Counter.builder("starling.origin.bytes").baseUnit("bytes")
                .description("Payload bytes the origin seeder uploaded to peers").register(registry);
        this.originCorrupt = Counter.builder("starling.origin.corrupt")
                .description("Artifacts the origin seeder stopped seeding because their blob no longer matched its SHA-256")
                .register(registry);
        Gauge.builder("starling.origin.torrents", originTorrents, AtomicInteger::get)
                .description("Torrents the origin seeder is seeding").register(registry);
    }

    void webSeedServed(long bytes) {
        webSeedBytes.increment(bytes);
    }

    void originUploaded(long bytes) {
        originBytes.increment(bytes);
    }

    void originSeeding(int torrents) {
        originTorrents.set(torrents);
    }

    void originCorrupt() {
        originCorrupt.increment();
    }
}
