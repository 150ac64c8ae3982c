package io.starling.controlplane.seed;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.starling.controlplane.catalog.Artifact;
import io.starling.controlplane.catalog.BlobStore;
import io.starling.controlplane.catalog.ReleaseState;
import io.starling.controlplane.common.StarlingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/** Local files of blobs for the origin seeder and the web seed, whatever the blob store (see {@link BlobCache}). */
@ApplicationScoped
public class SeedCache {

    private static final Logger LOG = Logger.getLogger(SeedCache.class);

    private final BlobCache cache;
    private final Predicate<String> needed;
    /**
     * Blobs that could not be put on disk since they last could: the seeder asks again at every
     * catch-up (room may have been made), and one that still does not fit is not logged again.
     */
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    @Inject
    SeedCache(SeedConfig config, StarlingConfig starling, BlobStore blobs) {
        this(new BlobCache(config.cacheDir().orElse(starling.home().resolve("seed-cache")), config.cacheSize(), blobs),
                SeedCache::published);
    }

    /** @param needed whether a published release still needs a blob (its copy is never evicted) */
    SeedCache(BlobCache cache, Predicate<String> needed) {
        this.cache = cache;
        this.needed = needed;
    }

    /** The blob as a local file if there is one now; never copies. */
    public Optional<Path> ifLocal(String key) {
        return cache.localFile(key);
    }

    /**
     * The blob as a local file, copied from the store first if need be; empty when it cannot be,
     * logged as an error the first time (and again only after it could be in between).
     *
     * @param forWhat what the file is for, for the log: the artifact and its torrent
     */
    Optional<Path> localFile(String key, long size, String forWhat) {
        try {
            Path file = cache.fill(key, size, needed);
            if (failing.remove(key)) {
                LOG.infof("Blob %s is on this server's disk now: seeding %s", key, forWhat);
            }
            return Optional.of(file);
        } catch (IOException | UncheckedIOException e) {
            if (failing.add(key)) {
                LOG.errorf("Cannot put blob %s on this server's disk for seeding %s: %s. The web seed serves it from "
                        + "the store; the seeder tries again at each catch-up and logs when it succeeds", key, forWhat,
                        e.getMessage());
            } else {
                LOG.debugf("Blob %s is still not on this server's disk: %s", key, e.getMessage());
            }
            return Optional.empty();
        }
    }

    /** Whether a published release has an artifact with these bytes: a swarm may want them any time. */
    private static boolean published(String key) {
        return QuarkusTransaction.requiringNew().call(() -> Artifact.count("blobKey = ?1 and release.state = ?2", key,
                ReleaseState.PUBLISHED) > 0);
    }
}
