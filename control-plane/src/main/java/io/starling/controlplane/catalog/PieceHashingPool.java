package io.starling.controlplane.catalog;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that hash torrent pieces while uploads stream in. Separate from Quarkus' worker
 * pool so that a large upload cannot starve API requests, and sized to the cores because
 * SHA-1/SHA-256 with SHA-NI are CPU-bound.
 */
@ApplicationScoped
public class PieceHashingPool {

    private final ExecutorService executor;

    PieceHashingPool(CatalogConfig config) {
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(Math.max(1, config.hashThreads()), r -> {
            Thread t = new Thread(r, "piece-hasher-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public ExecutorService executor() {
        return executor;
    }

    @PreDestroy
    void close() {
        executor.shutdownNow();
    }
}
