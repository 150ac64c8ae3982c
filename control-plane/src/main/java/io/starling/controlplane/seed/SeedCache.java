package io.starling.controlplane.seed;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.starling.controlplane.catalog.Artifact;
import io.starling.controlplane.catalog.BlobStore;
import io.starling.controlplane.catalog.ReleaseState;
import io.starling.controlplane.common.StarlingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Local files of blobs for the origin seeder and the web seed, whatever the blob store (see {@link BlobCache}). */
@ApplicationScoped
public class SeedCache {

    private static final Logger LOG = Logger.getLogger(SeedCache.class);

    private final BlobCache cache;

    SeedCache(SeedConfig config, StarlingConfig starling, BlobStore blobs) {
        this.cache = new BlobCache(config.cacheDir().orElse(starling.home().resolve("seed-cache")), config.cacheSize(),
                blobs);
    }

    /** The blob as a local file if there is one now; never copies. */
    public Optional<Path> ifLocal(String key) {
        return cache.localFile(key);
    }

    /** The blob as a local file, copied from the store first if need be; empty (and logged) when it cannot be. */
    Optional<Path> localFile(String key, long size) {
        try {
            return Optional.of(cache.fill(key, size, SeedCache::published));
        } catch (IOException | UncheckedIOException e) {
            LOG.errorf("Cannot put blob %s on this server's disk for seeding: %s", key, e.getMessage());
            return Optional.empty();
        }
    }

    /** Whether a published release has an artifact with these bytes: a swarm may want them any time. */
    private static boolean published(String key) {
        return QuarkusTransaction.requiringNew().call(() -> Artifact.count("blobKey = ?1 and release.state = ?2", key,
                ReleaseState.PUBLISHED) > 0);
    }
}
