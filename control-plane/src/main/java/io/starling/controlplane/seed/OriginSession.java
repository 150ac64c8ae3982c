package io.starling.controlplane.seed;

import io.starling.controlplane.peertls.SwarmCa;
import io.starling.controlplane.seed.SeedLinks.Seeded;
import io.starling.protocol.torrent.Libtorrent;
import io.starling.protocol.torrent.ResumeFiles;
import io.starling.protocol.torrent.SslTorrents;
import io.starling.protocol.torrent.TorrentSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.libtorrent4j.SettingsPack;
import org.libtorrent4j.TorrentFlags;
import org.libtorrent4j.TorrentStatus;
import org.libtorrent4j.swig.settings_pack;
import org.libtorrent4j.swig.torrent_flags_t;

/**
 * The origin seeder's libtorrent session, without CDI: {@link OriginSeeder} feeds it from the
 * catalogue, tests drive it directly. The session itself is a {@link TorrentSession}; what is
 * seeded and where its links live is {@link SeedLinks}, the re-reading of blobs
 * {@link BlobVerification}, the byte counts {@link UploadCounts}.
 *
 * <p>Threads. libtorrent runs its own network and disk threads; libtorrent4j delivers alerts on
 * one alert thread, where {@link OriginAlerts} only copies values out and hands work on. Every
 * call that changes the session runs on one worker thread ({@code origin-seeder}), so adds,
 * removes and resume-file writes happen in a single order. The background verification reads
 * blobs on its own thread ({@code origin-verify}). Nothing here runs on a Vert.x event loop.
 *
 * <p>Torrents are added not auto-managed (libtorrent's queue would pause all but
 * {@code active_seeds} of them) and in upload mode: the origin never downloads, so nothing can
 * ever write into the blob store through the links described at {@link SeedLinks#link(Path, Path)}.
 */
public final class OriginSession implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OriginSession.class);

    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);

    /**
     * @param advertisedAddress {@code host:port} peers are told to reach the origin at; empty:
     *                          the listen interface with the port actually bound
     * @param verifyInterval    zero or negative: no periodic verification (tests call {@link #verify()})
     * @param peerIdentity      the origin's certificate from the swarm CA, loaded on every SSL torrent;
     *                          the session then also listens for TLS peers, on the port after the
     *                          listen port (any free port when that is 0). Null: plain torrents only.
     */
    public record Options(String listenInterface, Optional<String> advertisedAddress, int uploadRateLimit,
                          Path resumeDir, Path dataDir, Duration verifyInterval, long verifyRate,
                          boolean superSeeding, SwarmCa.PeerIdentity peerIdentity) {

        public Options withPeerIdentity(SwarmCa.PeerIdentity identity) {
            return new Options(listenInterface, advertisedAddress, uploadRateLimit, resumeDir, dataDir, verifyInterval,
                    verifyRate, superSeeding, identity);
        }
    }

    /** What the session reports to the rest of the control plane; called on its threads, so never blocking. */
    public interface Events {
        default void uploaded(long bytes) {
        }

        default void seeding(int torrents) {
        }

        default void corrupt(OriginArtifact artifact) {
        }
    }

    /**
     * One seeded torrent, as libtorrent sees it now.
     *
     * @param allTimeUpload payload bytes uploaded over every run (kept in resume data)
     * @param uploadedBytes payload bytes uploaded by this process
     * @param fullChecks    how often libtorrent hashed the whole file in this process
     */
    public record Status(TorrentStatus.State state, boolean seeding, boolean seedMode, boolean uploadMode,
                         long allTimeUpload, long uploadedBytes, int peers, int fullChecks, String error,
                         boolean superSeeding) {
    }

    /** The outcome of one verification pass. */
    public record Verification(int checked, long bytes, List<OriginArtifact> corrupt) {
    }

    private final Options options;
    private final Events events;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "origin-seeder");
        t.setDaemon(true);
        return t;
    });
    private final SeedLinks links;
    private final BlobVerification verification;
    private final UploadCounts uploads;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set by {@link #open()} before anything reads or writes resume data. */
    private ResumeFiles resumeFiles;
    private volatile TorrentSession session;
    /** Set by {@link #open()} once the session runs. */
    private volatile ArtifactSeeding seeding;
    private InetSocketAddress advertised;
    private InetSocketAddress advertisedSsl;

    private OriginSession(Options options, Events events) {
        this.options = options;
        this.events = events;
        this.links = new SeedLinks(options.dataDir());
        this.verification = new BlobVerification(links, options.verifyInterval(), options.verifyRate(),
                (artifact, problem) -> onWorker(() -> {
                    seeding.quarantine(artifact, problem);
                    return null;
                }));
        this.uploads = new UploadCounts(events::uploaded);
    }

    /** Starts a session listening on the configured interface; fails when it cannot listen. */
    public static OriginSession start(Options options, Events events) {
        // Before the first JNI class is touched.
        Libtorrent.load("Set starling.seed.enabled=false to run without the origin seeder (the web seed still works).");
        OriginSession s = new OriginSession(options, events);
        try {
            s.open();
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void open() {
        HostPort listen = HostPort.parse(options.listenInterface(), "starling.seed.listen-interface");
        if (options.uploadRateLimit() < 0) {
            throw new IllegalArgumentException("starling.seed.upload-rate-limit must be 0 (none) or a number of bytes per second");
        }
        try {
            resumeFiles = ResumeFiles.open(options.resumeDir(),
                    "the torrent is added in seed mode, each piece checked the first time it is sent");
            Files.createDirectories(options.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the origin seeder's folders", e);
        }
        String interfaces = options.peerIdentity() == null ? listen.toString()
                : SslTorrents.sslListenInterface(listen.toString(), listen.port() == 0 ? 0 : listen.port() + 1);
        SettingsPack settings = TorrentSession.settings(interfaces);
        settings.uploadRateLimit(options.uploadRateLimit());
        // When the configured port is taken, libtorrent tries the next ones and then any port the
        // system gives it; the tracker would then hand out a port nobody listens on. Fail instead.
        settings.setInteger(settings_pack.int_types.max_retry_port_bind.swigValue(), 0);
        settings.setBoolean(settings_pack.bool_types.listen_system_port_fallback.swigValue(), false);
        try {
            session = TorrentSession.start("Origin seeder", settings, OriginAlerts.CATEGORIES,
                    new OriginAlerts(uploads, verification),
                    new TorrentSession.ResumeWrites(resumeFiles, worker, links::contains));
        } catch (IOException e) {
            throw new IllegalStateException("The origin seeder cannot listen on " + listen + ": "
                    + e.getMessage() + ". Set starling.seed.listen-interface to a free address:port.");
        } catch (TimeoutException | InterruptedException e) {
            throw new IllegalStateException("The origin seeder did not start listening on " + listen + " within "
                    + TorrentSession.LISTEN_TIMEOUT.toSeconds() + " s");
        }
        int port = session.listenPort();
        HostPort adv = options.advertisedAddress()
                .map(a -> HostPort.parse(a, "starling.seed.advertised-address"))
                .orElse(new HostPort(listen.host(), port));
        if (adv.port() == 0) {
            adv = new HostPort(adv.host(), port);
        }
        advertised = new InetSocketAddress(adv.host(), adv.port());
        if (options.peerIdentity() != null) {
            int sslPort = session.sslListenPort().orElseThrow(() -> new IllegalStateException(
                    "The origin seeder cannot listen for SSL torrent peers next to " + listen
                            + " (the port after it must be free too)"));
            advertisedSsl = new InetSocketAddress(adv.host(), sslPort);
        }
        if (advertised.getAddress() != null && advertised.getAddress().isAnyLocalAddress()) {
            LOG.warnf("The origin seeder listens on %s; peers cannot connect to an unspecified address. "
                    + "Set starling.seed.advertised-address to the address agents reach this server at.", listen);
        }
        seeding = new ArtifactSeeding(session, resumeFiles, links, verification, uploads, events, closed::get,
                options.superSeeding(), options.peerIdentity());
        verification.start();
    }

    /** The address the tracker hands out for the origin seeder. */
    public InetSocketAddress advertisedAddress() {
        return advertised;
    }

    public int listenPort() {
        return session.listenPort();
    }

    /**
     * Where peers of SSL torrents reach the origin: the advertised host at the TLS port; empty
     * when the origin has no certificate.
     */
    public Optional<InetSocketAddress> advertisedSslAddress() {
        return Optional.ofNullable(advertisedSsl);
    }

    /** Starts seeding, unless already seeded or found corrupt; completes with whether it is seeded now. */
    public CompletableFuture<Boolean> seed(OriginArtifact artifact) {
        return onWorker(() -> seeding.add(artifact));
    }

    /**
     * Loads artifacts and seeds them in one step on the worker thread, so that a load and the
     * removals submitted after it apply in the order they were submitted. Completes with the
     * number now seeded from that list.
     */
    public CompletableFuture<Integer> seed(Supplier<? extends Collection<OriginArtifact>> artifacts) {
        return onWorker(() -> addAll(artifacts.get()));
    }

    /**
     * Like {@link #seed(Supplier)}, and first removes resume data and data folders of every
     * torrent not in the list: left behind by a revocation while the server was down, or by an
     * earlier database. For the start of the server.
     */
    public CompletableFuture<Integer> seedOnly(Supplier<? extends Collection<OriginArtifact>> artifacts) {
        return onWorker(() -> {
            Collection<OriginArtifact> list = artifacts.get();
            int forgotten = links.forgetAllBut(list.stream().map(OriginArtifact::infoHashV1).collect(Collectors.toSet()),
                    resumeFiles);
            if (forgotten > 0) {
                LOG.infof("Removed resume data and links of %d torrents no longer published", forgotten);
            }
            return addAll(list);
        });
    }

    /**
     * Seeds exactly the torrents {@code wanted} names: stops seeding the others and adds those not
     * seeded yet, in one step on the worker thread. Only the torrents to add (not seeded, not found
     * corrupt) are handed to {@code load}, which reads their artifacts and puts their blobs on disk:
     * what is seeded already costs nothing. Completes with the number of changes.
     */
    public CompletableFuture<Integer> seedExactly(Supplier<Set<String>> wanted,
            Function<Set<String>, ? extends Collection<OriginArtifact>> load) {
        return onWorker(() -> {
            Set<String> infoHashes = wanted.get();
            int changes = 0;
            for (Seeded s : links.all()) {
                String ih = s.artifact().infoHashV1();
                if (!infoHashes.contains(ih)) {
                    changes += seeding.remove(ih) ? 1 : 0;
                }
            }
            Set<String> missing = infoHashes.stream().filter(ih -> !links.contains(ih) && !isCorrupt(ih))
                    .collect(Collectors.toSet());
            if (missing.isEmpty()) {
                return changes;
            }
            for (OriginArtifact a : load.apply(missing)) {
                if (missing.contains(a.infoHashV1()) && !links.contains(a.infoHashV1())) {
                    changes += seeding.add(a) ? 1 : 0;
                }
            }
            return changes;
        });
    }

    /** Stops seeding and forgets the torrent's resume data and links; completes with whether it was seeded. */
    public CompletableFuture<Boolean> unseed(String infoHashV1) {
        return onWorker(() -> seeding.remove(infoHashV1));
    }

    /** Loads info-hashes and stops seeding them, in one step on the worker thread. */
    public CompletableFuture<Integer> unseed(Supplier<? extends Collection<String>> infoHashes) {
        return onWorker(() -> {
            int n = 0;
            for (String ih : infoHashes.get()) {
                n += seeding.remove(ih) ? 1 : 0;
            }
            return n;
        });
    }

    private <T> CompletableFuture<T> onWorker(Supplier<T> task) {
        try {
            return CompletableFuture.supplyAsync(task, worker);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("The origin seeder is closed"));
        }
    }

    public boolean isSeeding(String infoHashV1) {
        return links.contains(infoHashV1);
    }

    public Set<String> seeded() {
        return links.infoHashes();
    }

    /** Payload bytes this process uploaded for one torrent (kept after it stops being seeded). */
    public long uploadedBytes(String infoHashV1) {
        return uploads.of(infoHashV1);
    }

    public long uploadedBytes() {
        return uploads.total();
    }

    /** Asks libtorrent now: a synchronous call into its network thread. */
    public Optional<Status> status(String infoHashV1) {
        Seeded s = links.get(infoHashV1);
        if (s == null) {
            return Optional.empty();
        }
        TorrentStatus st = s.handle().status();
        torrent_flags_t flags = st.flags();
        String error = st.errorCode().isError() ? st.errorCode().getMessage() : null;
        return Optional.of(new Status(st.state(), st.isSeeding(), flags.and_(TorrentFlags.SEED_MODE).non_zero(),
                flags.and_(TorrentFlags.UPLOAD_MODE).non_zero(), st.allTimeUpload(), uploadedBytes(infoHashV1),
                st.numPeers(), fullChecks(infoHashV1), error, flags.and_(TorrentFlags.SUPER_SEEDING).non_zero()));
    }

    public int fullChecks(String infoHashV1) {
        return verification.fullChecks(infoHashV1);
    }

    public int uploadRateLimit() {
        return session.uploadRateLimit();
    }

    /** Changes the upload cap at run time, in bytes per second; 0 is unlimited. */
    public void uploadRateLimit(int bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("upload rate limit must be 0 (unlimited) or positive");
        }
        session.applySettings(new SettingsPack().uploadRateLimit(bytesPerSecond));
    }

    /** Whether verification found the stored bytes of this torrent changed. */
    public boolean isCorrupt(String infoHashV1) {
        return verification.isCorrupt(infoHashV1);
    }

    /** Turns super-seeding (BEP 16) on or off for everything seeded now and added later. */
    public void superSeeding(boolean on) {
        seeding.superSeeding(on);
    }

    public boolean superSeeding() {
        return seeding.superSeeding();
    }

    /** Super-seeding on or off for one torrent; returns whether it is seeded here. */
    public boolean superSeeding(String infoHashV1, boolean on) {
        return seeding.superSeeding(infoHashV1, on);
    }

    /** Reads every seeded blob again, at the configured rate, and stops seeding those that changed. */
    public CompletableFuture<Verification> verify() {
        return verification.verify();
    }

    /** The periodic verification pass, run now on the caller's thread. */
    Verification scheduledPass() {
        return verification.scheduledPass();
    }

    // ---------------------------------------------------------------- worker thread

    private int addAll(Collection<OriginArtifact> artifacts) {
        int n = 0;
        for (OriginArtifact a : artifacts) {
            n += seeding.add(a) ? 1 : 0;
        }
        return n;
    }

    // ---------------------------------------------------------------- shutdown

    /**
     * Saves resume data for every torrent (so that the next start neither rehashes nor loses the
     * upload counters), then stops libtorrent, which blocks for about a second.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        verification.close();
        TorrentSession s = session;
        if (s != null && s.isRunning()) {
            s.saveAll(() -> links.all().stream().map(seeded -> seeded.handle().swig()).toList());
            s.close();
        }
        worker.shutdown();
        try {
            worker.awaitTermination(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code host:port} or {@code [v6]:port}, as libtorrent's listen_interfaces takes them. */
    record HostPort(String host, int port) {

        static HostPort parse(String value, String key) {
            String v = value == null ? "" : value.trim();
            int colon = v.lastIndexOf(':');
            if (colon <= 0 || colon == v.length() - 1) {
                throw new IllegalArgumentException(key + " must be address:port, not '" + value + "'");
            }
            String host = v.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.contains(":")) {
                throw new IllegalArgumentException(key + ": write IPv6 addresses in brackets, as [::1]:6881");
            }
            int port;
            try {
                port = Integer.parseInt(v.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(key + " has no valid port: '" + value + "'");
            }
            return new HostPort(host, port);
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
