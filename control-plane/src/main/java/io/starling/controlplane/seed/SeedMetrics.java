package io.starling.controlplane.seed;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/** Bytes the server itself sends to peers; registered at start so dashboards see zeros, not gaps. */
@Startup
@ApplicationScoped
public class SeedMetrics {

    private final Counter webSeedBytes;

    SeedMetrics(MeterRegistry registry) {
        this.webSeedBytes = Counter.builder("starling.webseed.bytes").baseUnit("bytes")
                .description("Artifact bytes the web seed answered with").register(registry);
    }

    void webSeedServed(long bytes) {
        webSeedBytes.increment(bytes);
    }
}
