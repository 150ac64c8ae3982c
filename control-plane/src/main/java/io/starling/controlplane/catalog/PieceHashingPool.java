package io.starling.controlplane.catalog;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that hash torrent pieces while uploads stream in, and those that write them to the
 * blob store. Separate from Quarkus' worker pool so that a large upload cannot starve API
 * requests. Hashers are sized to the cores because SHA-1/SHA-256 with SHA-NI are CPU-bound;
 * writers are apart from them because a write waits for the disk (O_DIRECT: until the device has
 * the bytes), and a hasher waiting there holds a core idle.
 */
@ApplicationScoped
public class PieceHashingPool {

    private final ExecutorService executor;
    private final ExecutorService writers;

    PieceHashingPool(CatalogConfig config) {
        this.executor = Executors.newFixedThreadPool(Math.max(1, config.hashThreads()), named("piece-hasher-"));
        this.writers = Executors.newFixedThreadPool(Math.max(1, config.writeThreads()), named("blob-writer-"));
    }

    /** Daemon threads named {@code prefix} and a number. */
    static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public ExecutorService executor() {
        return executor;
    }

    /** Where hashed pieces are written to the blob store. */
    public ExecutorService writers() {
        return writers;
    }

    @PreDestroy
    void close() {
        executor.shutdownNow();
        writers.shutdownNow();
    }
}
