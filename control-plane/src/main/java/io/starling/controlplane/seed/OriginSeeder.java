package io.starling.controlplane.seed;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.starling.controlplane.catalog.Artifact;
import io.starling.controlplane.catalog.Release;
import io.starling.controlplane.catalog.ReleaseEvent;
import io.starling.controlplane.catalog.ReleaseState;
import io.starling.controlplane.common.StarlingConfig;
import io.starling.controlplane.peertls.SwarmCa;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * The origin seeder: one libtorrent session in the control plane that seeds every artifact of
 * every published release, so that a swarm always has a complete source that speaks BitTorrent.
 * The tracker lists it as a peer, last (nearest peers first); leechers connect to it.
 *
 * <p>At start it seeds what the catalogue says is published; afterwards it follows
 * {@link ReleaseEvent}s. Catalogue reads and all libtorrent work run on the session's own
 * threads, never on the thread that fired the event and never on an event loop.
 */
@Startup
@ApplicationScoped
public class OriginSeeder {

    private static final Logger LOG = Logger.getLogger(OriginSeeder.class);

    private final SeedConfig config;
    private final StarlingConfig starling;
    private final SeedCache cache;
    private final SeedMetrics metrics;
    private final SwarmCa swarmCa;
    private volatile OriginSession session;

    OriginSeeder(SeedConfig config, StarlingConfig starling, SeedCache cache, SeedMetrics metrics, SwarmCa swarmCa) {
        this.swarmCa = swarmCa;
        this.config = config;
        this.starling = starling;
        this.cache = cache;
        this.metrics = metrics;
    }

    @PostConstruct
    void start() {
        if (!config.enabled()) {
            LOG.info("The origin seeder is off (starling.seed.enabled=false); the web seed still serves every artifact");
            return;
        }
        Path home = starling.home();
        OriginSession.Options options = new OriginSession.Options(config.listenInterface(), config.advertisedAddress(),
                config.uploadRateLimit(),
                config.resumeDir().orElse(home.resolve("seed-resume")).toAbsolutePath(),
                config.dataDir().orElse(home.resolve("seed-data")).toAbsolutePath(),
                config.verifyInterval(), config.verifyRate(), config.superSeeding(), swarmCa.originIdentity());
        session = OriginSession.start(options, new OriginSession.Events() {
            @Override
            public void uploaded(long bytes) {
                metrics.originUploaded(bytes);
            }

            @Override
            public void seeding(int torrents) {
                metrics.originSeeding(torrents);
            }

            @Override
            public void corrupt(OriginArtifact artifact) {
                metrics.originCorrupt();
            }
        });
        LOG.infof("Origin seeder listening on %s, advertised to peers as %s, TLS peers at %s, upload cap %s",
                config.listenInterface(), session.advertisedAddress(),
                session.advertisedSslAddress().map(Object::toString).orElse("none"),
                config.uploadRateLimit() == 0 ? "none" : config.uploadRateLimit() + " B/s");
        long started = System.nanoTime();
        session.seedOnly(this::published).whenComplete((n, e) -> {
            if (e != null) {
                LOG.errorf(e, "The origin seeder could not load the published artifacts");
            } else {
                LOG.infof("Origin seeder added %d published artifacts in %d ms", n, (System.nanoTime() - started) / 1_000_000);
            }
        });
    }

    @PreDestroy
    void stop() {
        OriginSession s = session;
        session = null;
        if (s != null) {
            s.close();
        }
    }

    /** The catalogue committed a publication or revocation: follow it, after the commit only. */
    void onRelease(@Observes(during = TransactionPhase.AFTER_SUCCESS) ReleaseEvent event) {
        OriginSession s = session;
        if (s == null) {
            return;
        }
        CompletableFuture<Integer> done = switch (event.kind()) {
            case PUBLISHED -> s.seed(() -> publishedArtifactsOf(event.product(), event.version()));
            case REVOKED -> s.unseed(() -> unusedInfoHashesOf(event.product(), event.version()));
        };
        done.whenComplete((n, e) -> {
            if (e != null) {
                LOG.errorf(e, "The origin seeder could not follow %s", event);
            }
        });
    }

    /**
     * Catches up with publications and revocations another replica made (their events fire only
     * there), and with any event this replica missed: seeds every published artifact not seeded
     * yet and drops what is no longer published. Cheap when nothing changed: one query for the
     * published info-hashes; artifacts (and their blobs) are read only for those not seeded yet.
     */
    @Scheduled(every = "${starling.seed.catch-up-every:10s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void catchUp() {
        OriginSession s = session;
        if (s == null) {
            return;
        }
        s.seedExactly(this::publishedInfoHashes, this::publishedAmong).whenComplete((n, e) -> {
            if (e != null) {
                LOG.warnf("The origin seeder could not catch up with the catalogue: %s", e.getMessage());
            }
        });
    }

    /** Empty when the seeder is off. */
    public Optional<InetSocketAddress> advertisedAddress() {
        OriginSession s = session;
        return s == null ? Optional.empty() : Optional.of(s.advertisedAddress());
    }

    /** Where peers of SSL torrents reach the origin seeder (its TLS port), when it runs. */
    public Optional<InetSocketAddress> advertisedSslAddress() {
        OriginSession s = session;
        return s == null ? Optional.empty() : s.advertisedSslAddress();
    }

    public boolean isSeeding(String infoHashV1) {
        OriginSession s = session;
        return s != null && s.isSeeding(infoHashV1);
    }

    /** True once verification found the blob behind this torrent changed; nothing serves it then. */
    public boolean isCorrupt(String infoHashV1) {
        OriginSession s = session;
        return s != null && s.isCorrupt(infoHashV1);
    }

    /** Payload bytes uploaded for one torrent since this server started. */
    public long uploadedBytes(String infoHashV1) {
        OriginSession s = session;
        return s == null ? 0 : s.uploadedBytes(infoHashV1);
    }

    /** Payload bytes uploaded for all torrents since this server started. */
    public long uploadedBytes() {
        OriginSession s = session;
        return s == null ? 0 : s.uploadedBytes();
    }

    /** Blocks on a call into libtorrent's network thread: not for an event loop. */
    public Optional<OriginSession.Status> status(String infoHashV1) {
        OriginSession s = session;
        return s == null ? Optional.empty() : s.status(infoHashV1);
    }

    /** The upload cap in bytes per second, 0 for none. */
    public int uploadRateLimit() {
        OriginSession s = session;
        return s == null ? 0 : s.uploadRateLimit();
    }

    /** Changes the upload cap until the next restart (starling.seed.upload-rate-limit sets it at start). */
    public void uploadRateLimit(int bytesPerSecond) {
        requireSession().uploadRateLimit(bytesPerSecond);
    }

    /** Super-seeding on or off until the next restart (starling.seed.super-seeding sets it at start). */
    public void superSeeding(boolean on) {
        requireSession().superSeeding(on);
    }

    public boolean superSeeding() {
        OriginSession s = session;
        return s != null && s.superSeeding();
    }

    /**
     * Super-seeding on or off for one torrent, as the tracker decides per swarm; a torrent added later starts as
     * the last decision for it said. Any thread.
     *
     * @return whether this seeder holds the torrent (false: off, or not seeded here)
     */
    public boolean superSeeding(String infoHashV1, boolean on) {
        OriginSession s = session;
        return s != null && s.superSeeding(infoHashV1, on);
    }

    /** Runs a verification pass now rather than at the next interval. */
    public CompletableFuture<OriginSession.Verification> verify() {
        return requireSession().verify();
    }

    private OriginSession requireSession() {
        OriginSession s = session;
        if (s == null) {
            throw new IllegalStateException("The origin seeder is off");
        }
        return s;
    }

    private List<OriginArtifact> published() {
        return onDisk(QuarkusTransaction.requiringNew().call(() -> Artifact.<Artifact>list(
                        "release.state = ?1 order by id", ReleaseState.PUBLISHED).stream()
                .map(Candidate::of).toList()));
    }

    private Set<String> publishedInfoHashes() {
        return QuarkusTransaction.requiringNew().call(() -> Set.copyOf(Artifact.getEntityManager()
                .createQuery("select distinct a.infoHashV1 from Artifact a where a.release.state = ?1", String.class)
                .setParameter(1, ReleaseState.PUBLISHED).getResultList()));
    }

    private List<OriginArtifact> publishedAmong(Set<String> infoHashes) {
        return onDisk(QuarkusTransaction.requiringNew().call(() -> Artifact.<Artifact>list(
                        "release.state = ?1 and infoHashV1 in ?2 order by id", ReleaseState.PUBLISHED, infoHashes).stream()
                .map(Candidate::of).toList()));
    }

    /** Read when the event is handled, not when it fired: a revocation in between wins. */
    private List<OriginArtifact> publishedArtifactsOf(String product, String version) {
        return onDisk(QuarkusTransaction.requiringNew().call(() -> Release.find(product, version)
                .filter(r -> r.state() == ReleaseState.PUBLISHED)
                .map(r -> r.artifacts.stream().map(Candidate::of).toList())
                .orElse(List.of())));
    }

    /**
     * The release's info-hashes that no published release still uses. The same file name, bytes
     * and piece length make the same info dictionary, so two releases can share one torrent.
     */
    private List<String> unusedInfoHashesOf(String product, String version) {
        return QuarkusTransaction.requiringNew().call(() -> Release.find(product, version)
                .map(r -> r.artifacts.stream().map(a -> a.infoHashV1)
                        .filter(ih -> Artifact.count("infoHashV1 = ?1 and release.state = ?2", ih, ReleaseState.PUBLISHED) == 0)
                        .toList())
                .orElse(List.of()));
    }

    /** An artifact to seed, read in a transaction; its bytes are found (or copied from the store) after it. */
    private record Candidate(String infoHashV1, String name, long size, String sha256, byte[] torrent, String blobKey,
                             Instant hashedAt) {
        static Candidate of(Artifact a) {
            return new Candidate(a.infoHashV1, a.name, a.size, a.sha256, TorrentFiles.originTorrent(a), a.blobKey,
                    a.createdAt == null ? Instant.EPOCH : a.createdAt);
        }
    }

    /** Outside any transaction: a blob may be copied from the object store first, which takes a while. */
    private List<OriginArtifact> onDisk(List<Candidate> candidates) {
        return candidates.stream().flatMap(c -> origin(c).stream()).toList();
    }

    private Optional<OriginArtifact> origin(Candidate c) {
        // Empty: the cache said why (once), and the next catch-up tries again.
        return cache.localFile(c.blobKey(), c.size(), c.name() + " (" + c.infoHashV1() + ")")
                .map(blob -> new OriginArtifact(c.infoHashV1(), c.name(), c.size(), c.sha256(), c.torrent(), blob,
                        c.hashedAt()));
    }
}
