package io.starling.controlplane.seed;

import io.starling.protocol.torrent.Libtorrent;
import io.starling.protocol.torrent.ResumeFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.libtorrent4j.AddTorrentParams;
import org.libtorrent4j.AlertListener;
import org.libtorrent4j.SessionManager;
import org.libtorrent4j.SettingsPack;
import org.libtorrent4j.TorrentFlags;
import org.libtorrent4j.TorrentHandle;
import org.libtorrent4j.TorrentInfo;
import org.libtorrent4j.TorrentStatus;
import org.libtorrent4j.alerts.Alert;
import org.libtorrent4j.alerts.AlertType;
import org.libtorrent4j.alerts.ListenFailedAlert;
import org.libtorrent4j.alerts.ListenSucceededAlert;
import org.libtorrent4j.alerts.SaveResumeDataAlert;
import org.libtorrent4j.alerts.SocketType;
import org.libtorrent4j.alerts.StateChangedAlert;
import org.libtorrent4j.alerts.StateUpdateAlert;
import org.libtorrent4j.alerts.TorrentAlert;
import org.libtorrent4j.swig.add_torrent_params;
import org.libtorrent4j.swig.error_code;
import org.libtorrent4j.swig.settings_pack;
import org.libtorrent4j.swig.torrent_flags_t;
import org.libtorrent4j.swig.torrent_handle;

/**
 * The origin seeder's libtorrent session, without CDI: {@link OriginSeeder} feeds it from the
 * catalogue, tests drive it directly.
 *
 * <p>Threads. libtorrent runs its own network and disk threads; libtorrent4j delivers alerts on
 * one alert thread, where our listener only copies values out and hands work on. Every call
 * that changes the session runs on one worker thread ({@code origin-seeder}), so adds, removes
 * and resume-file writes happen in a single order. The background verification reads blobs on
 * its own thread ({@code origin-verify}). Nothing here runs on a Vert.x event loop.
 *
 * <p>Torrents are added not auto-managed (libtorrent's queue would pause all but
 * {@code active_seeds} of them) and in upload mode: the origin never downloads, so nothing can
 * ever write into the blob store through the links described at {@link #link}.
 */
public final class OriginSession implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OriginSession.class);

    /** One save_resume_data alert per torrent at shutdown must fit: a full queue drops alerts. */
    private static final int ALERT_QUEUE_SIZE = 100_000;
    private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration FIRST_VERIFICATION = Duration.ofMinutes(1);

    /**
     * @param advertisedAddress {@code host:port} peers are told to reach the origin at; empty:
     *                          the listen interface with the port actually bound
     * @param verifyInterval    zero or negative: no periodic verification (tests call {@link #verify()})
     */
    public record Options(String listenInterface, Optional<String> advertisedAddress, int uploadRateLimit,
                          Path resumeDir, Path dataDir, Duration verifyInterval, long verifyRate,
                          boolean superSeeding) {
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
                         long allTimeUpload, long uploadedBytes, int peers, int fullChecks, String error) {
    }

    /** The outcome of one verification pass. */
    public record Verification(int checked, long bytes, List<OriginArtifact> corrupt) {
    }

    private record Seeded(OriginArtifact artifact, TorrentHandle handle, Path dataFile) {
    }

    private final Options options;
    private final Events events;
    private volatile boolean superSeeding;
    private final SessionManager session = new SessionManager(false);
    private final ExecutorService worker = Executors.newSingleThreadExecutor(daemon("origin-seeder", Thread.NORM_PRIORITY));
    private final ScheduledExecutorService verifier =
            Executors.newSingleThreadScheduledExecutor(daemon("origin-verify", Thread.MIN_PRIORITY));
    private final Map<String, Seeded> seeded = new ConcurrentHashMap<>();
    /** When this run last knew each torrent's bytes right: its last check, or its upload in this run. */
    private final Map<String, Instant> lastChecked = new ConcurrentHashMap<>();
    private final Instant started = Instant.now();
    private final Map<String, UploadCounter> uploads = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> fullChecks = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> resumeSaves = new ConcurrentHashMap<>();
    private final Set<String> corrupt = ConcurrentHashMap.newKeySet();
    private final AtomicLong uploadedTotal = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Integer> listening = new CompletableFuture<>();
    /** Set by {@link #open()} before anything reads or writes resume data. */
    private ResumeFiles resumeFiles;
    private InetSocketAddress advertised;

    private OriginSession(Options options, Events events) {
        this.options = options;
        this.superSeeding = options.superSeeding();
        this.events = events;
    }

    /** Starts a session listening on the configured interface; fails when it cannot listen. */
    public static OriginSession start(Options options, Events events) {
        // Before SessionManager's constructor touches the first JNI class.
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
        SettingsPack settings = Libtorrent.privateSwarmSettings(listen.toString());
        settings.uploadRateLimit(options.uploadRateLimit());
        settings.alertQueueSize(ALERT_QUEUE_SIZE);
        // When the configured port is taken, libtorrent tries the next ones and then any port the
        // system gives it; the tracker would then hand out a port nobody listens on. Fail instead.
        settings.setInteger(settings_pack.int_types.max_retry_port_bind.swigValue(), 0);
        settings.setBoolean(settings_pack.bool_types.listen_system_port_fallback.swigValue(), false);
        session.addListener(new Listener());
        session.start(Libtorrent.sessionParams(settings));
        // SessionManager.start forces every alert category but the logs; per-block upload alerts
        // alone would be 64,000 a second at 1 GB/s. Keep the ones this class reads.
        session.applySettings(new SettingsPack().setInteger(settings_pack.int_types.alert_mask.swigValue(),
                org.libtorrent4j.swig.alert.status_notification.or_(org.libtorrent4j.swig.alert.error_notification)
                        .or_(org.libtorrent4j.swig.alert.storage_notification)
                        .or_(org.libtorrent4j.swig.alert.performance_warning).to_int()));
        // The LAN trap: without this an office LAN could drain the origin at wire speed, since
        // peers from private and loopback ranges escape the session's upload_rate_limit.
        session.swig().set_peer_class_filter(Libtorrent.everyAddressInGlobalPeerClass());
        int port;
        try {
            port = listening.get(LISTEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("The origin seeder cannot listen on " + listen + ": "
                    + e.getCause().getMessage() + ". Set starling.seed.listen-interface to a free address:port.");
        } catch (TimeoutException | InterruptedException e) {
            throw new IllegalStateException("The origin seeder did not start listening on " + listen + " within "
                    + LISTEN_TIMEOUT.toSeconds() + " s");
        }
        HostPort adv = options.advertisedAddress()
                .map(a -> HostPort.parse(a, "starling.seed.advertised-address"))
                .orElse(new HostPort(listen.host(), port));
        if (adv.port() == 0) {
            adv = new HostPort(adv.host(), port);
        }
        advertised = new InetSocketAddress(adv.host(), adv.port());
        if (advertised.getAddress() != null && advertised.getAddress().isAnyLocalAddress()) {
            LOG.warnf("The origin seeder listens on %s; peers cannot connect to an unspecified address. "
                    + "Set starling.seed.advertised-address to the address agents reach this server at.", listen);
        }
        if (options.verifyInterval().toMillis() > 0) {
            verifier.scheduleWithFixedDelay(this::scheduledPass, FIRST_VERIFICATION.toMillis(),
                    options.verifyInterval().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The address the tracker hands out for the origin seeder. */
    public InetSocketAddress advertisedAddress() {
        return advertised;
    }

    public int listenPort() {
        return listening.join();
    }

    /** Starts seeding, unless already seeded or found corrupt; completes with whether it is seeded now. */
    public CompletableFuture<Boolean> seed(OriginArtifact artifact) {
        return onWorker(() -> add(artifact));
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
            int forgotten = forget(list.stream().map(OriginArtifact::infoHashV1).collect(Collectors.toSet()));
            if (forgotten > 0) {
                LOG.infof("Removed resume data and links of %d torrents no longer published", forgotten);
            }
            return addAll(list);
        });
    }

    /** Stops seeding and forgets the torrent's resume data and links; completes with whether it was seeded. */
    public CompletableFuture<Boolean> unseed(String infoHashV1) {
        return onWorker(() -> remove(infoHashV1) != null);
    }

    /** Loads info-hashes and stops seeding them, in one step on the worker thread. */
    public CompletableFuture<Integer> unseed(Supplier<? extends Collection<String>> infoHashes) {
        return onWorker(() -> {
            int n = 0;
            for (String ih : infoHashes.get()) {
                n += remove(ih) != null ? 1 : 0;
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
        return seeded.containsKey(infoHashV1);
    }

    public Set<String> seeded() {
        return Set.copyOf(seeded.keySet());
    }

    /** Payload bytes this process uploaded for one torrent (kept after it stops being seeded). */
    public long uploadedBytes(String infoHashV1) {
        UploadCounter u = uploads.get(infoHashV1);
        return u == null ? 0 : u.total();
    }

    public long uploadedBytes() {
        return uploadedTotal.get();
    }

    /** Asks libtorrent now: a synchronous call into its network thread. */
    public Optional<Status> status(String infoHashV1) {
        Seeded s = seeded.get(infoHashV1);
        if (s == null) {
            return Optional.empty();
        }
        TorrentStatus st = s.handle().status();
        torrent_flags_t flags = st.flags();
        String error = st.errorCode().isError() ? st.errorCode().getMessage() : null;
        return Optional.of(new Status(st.state(), st.isSeeding(), flags.and_(TorrentFlags.SEED_MODE).non_zero(),
                flags.and_(TorrentFlags.UPLOAD_MODE).non_zero(), st.allTimeUpload(), uploadedBytes(infoHashV1),
                st.numPeers(), fullChecks(infoHashV1), error));
    }

    public int fullChecks(String infoHashV1) {
        AtomicInteger n = fullChecks.get(infoHashV1);
        return n == null ? 0 : n.get();
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
        return corrupt.contains(infoHashV1);
    }

    /** Turns super-seeding (BEP 16) on or off for everything seeded now and added later. */
    public void superSeeding(boolean on) {
        superSeeding = on;
        for (Seeded s : seeded.values()) {
            if (on) {
                s.handle().setFlags(TorrentFlags.SUPER_SEEDING);
            } else {
                s.handle().unsetFlags(TorrentFlags.SUPER_SEEDING);
            }
        }
    }

    public boolean superSeeding() {
        return superSeeding;
    }

    /** Reads every seeded blob again, at the configured rate, and stops seeding those that changed. */
    public CompletableFuture<Verification> verify() {
        try {
            return CompletableFuture.supplyAsync(this::verifyAll, verifier);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("The origin seeder is closed"));
        }
    }

    // ---------------------------------------------------------------- worker thread

    private int addAll(Collection<OriginArtifact> artifacts) {
        int n = 0;
        for (OriginArtifact a : artifacts) {
            n += add(a) ? 1 : 0;
        }
        return n;
    }

    private boolean add(OriginArtifact a) {
        String ih = a.infoHashV1();
        if (closed.get()) {
            return false;
        }
        if (seeded.containsKey(ih)) {
            return true;
        }
        if (corrupt.contains(ih)) {
            LOG.warnf("Not seeding %s again: its blob failed verification in this run", a);
            return false;
        }
        try {
            if (!Files.isRegularFile(a.blob()) || Files.size(a.blob()) != a.size()) {
                LOG.errorf("Cannot seed %s: its blob %s is missing or not %d bytes long", a, a.blob(), a.size());
                return false;
            }
            Path dir = options.dataDir().resolve(ih);
            Path file = dir.resolve(a.name());
            link(a.blob(), file);
            TorrentInfo ti = new TorrentInfo(a.torrent());
            String actual = ti.infoHashes().getV1().toHex();
            if (!actual.equals(ih)) {
                throw new IllegalArgumentException("the torrent of " + a + " has info-hash " + actual);
            }
            add_torrent_params p = resumeFiles.read(ih).orElse(null);
            boolean resumed = p != null;
            if (p == null) {
                // Seed mode: no hashing at add time; libtorrent checks each piece against the
                // torrent the first time it sends it, so a restart without resume data does not
                // read every artifact, and a bad piece is never sent. The background
                // verification covers what was already checked.
                p = new add_torrent_params();
                p.setFlags(p.getFlags().or_(TorrentFlags.SEED_MODE));
            }
            p.set_ti(ti.swig());
            p.setSave_path(dir.toAbsolutePath().toString());
            p.setFlags(p.getFlags()
                    .and_(TorrentFlags.AUTO_MANAGED.inv())
                    .and_(TorrentFlags.PAUSED.inv())
                    .or_(TorrentFlags.UPLOAD_MODE)
                    .or_(TorrentFlags.UPDATE_SUBSCRIBE));
            if (superSeeding) {
                // BEP 16: offer each peer pieces nobody else has yet, so that the origin sends a
                // piece again only after peers have passed it on; the offices then trade the rest.
                p.setFlags(p.getFlags().or_(TorrentFlags.SUPER_SEEDING));
            }
            error_code ec = new error_code();
            // The synchronous add returns a handle we own. Handles taken from alerts point into
            // alert memory that libtorrent frees soon after (PLATFORM.md, crash 2).
            torrent_handle h = session.swig().add_torrent(p, ec);
            if (ec.value() != 0) {
                LOG.errorf("libtorrent refused %s: %s", a, ec.message());
                return false;
            }
            uploads.computeIfAbsent(ih, k -> new UploadCounter()).restart();
            seeded.put(ih, new Seeded(a, new TorrentHandle(h), file));
            if (a.hashedAt().isAfter(started)) {
                lastChecked.put(ih, a.hashedAt()); // uploaded in this run: hashed as it was stored
            }
            events.seeding(seeded.size());
            h.save_resume_data();
            LOG.infof("Seeding %s from %s (%s)", a, file, resumed ? "resume data"
                    : "seed mode: pieces are checked the first time they are sent");
            return true;
        } catch (IOException | RuntimeException e) {
            // One bad artifact must not keep the others in the same batch from being seeded.
            LOG.errorf(e, "Cannot seed %s", a);
            return false;
        }
    }

    private Seeded remove(String ih) {
        Seeded s = seeded.remove(ih);
        if (s == null) {
            return null;
        }
        try {
            countUpload(ih, s.handle().status().totalPayloadUpload()); // the bytes since the last state update
        } catch (RuntimeException e) {
            LOG.debugf("No final status for %s: %s", s.artifact(), e.getMessage());
        }
        // Never remove_flags delete_files: the file is a link into the blob store.
        session.swig().remove_torrent(s.handle().swig());
        events.seeding(seeded.size());
        try {
            Files.deleteIfExists(resumeFiles.file(ih));
            Files.deleteIfExists(s.dataFile());
            Files.deleteIfExists(s.dataFile().getParent());
        } catch (IOException e) {
            LOG.warnf("Cannot clean up after %s: %s", s.artifact(), e.getMessage());
        }
        LOG.infof("Stopped seeding %s", s.artifact());
        return s;
    }

    private int forget(Set<String> keep) {
        Set<String> forgotten = new java.util.HashSet<>();
        try {
            for (String ih : resumeFiles.infoHashes()) {
                if (!keep.contains(ih) && !seeded.containsKey(ih)) {
                    Files.deleteIfExists(resumeFiles.file(ih));
                    forgotten.add(ih);
                }
            }
        } catch (IOException e) {
            LOG.warnf("Cannot clean the resume folder: %s", e.getMessage());
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(options.dataDir())) {
            for (Path d : dirs) {
                String ih = d.getFileName().toString();
                if (OriginArtifact.INFO_HASH_V1.matcher(ih).matches() && !keep.contains(ih) && !seeded.containsKey(ih)
                        && Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                    try (DirectoryStream<Path> links = Files.newDirectoryStream(d)) {
                        for (Path link : links) {
                            Files.deleteIfExists(link); // a link: the blob stays
                        }
                    }
                    Files.deleteIfExists(d);
                    forgotten.add(ih);
                }
            }
        } catch (IOException e) {
            LOG.warnf("Cannot clean the seed data folder: %s", e.getMessage());
        }
        return forgotten.size();
    }

    /**
     * Puts the blob where libtorrent looks for the file: {@code <save_path>/<name>}. A hard link
     * costs no space, is an ordinary file to libtorrent (no absolute {@code renamed_files} in
     * resume data, nothing that {@code move_storage} or {@code delete_files} could turn against
     * the blob store), and keeps the inode readable while seeding even if the blob store drops
     * its own name. Hard links need one file system; across file systems a symbolic link does the
     * same job. libtorrent never writes through either: torrents are in upload mode, and the
     * blob has exactly the size the torrent expects, so storage initialisation truncates nothing.
     */
    static void link(Path blob, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.exists(target) && Files.isSameFile(target, blob)) {
                return;
            }
            Files.delete(target);
        }
        try {
            Files.createLink(target, blob);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debugf("No hard link from %s to %s (%s); using a symbolic link", target, blob, e.getMessage());
            Files.createSymbolicLink(target, blob.toAbsolutePath());
        }
    }

    private void writeResume(String ih, byte[] data) {
        if (seeded.containsKey(ih)) { // else removed after libtorrent serialised it: writing would resurrect it
            resumeFiles.write(ih, data);
        }
    }

    private void quarantine(OriginArtifact a, String reason) {
        Seeded s = seeded.get(a.infoHashV1());
        if (s == null || !s.artifact().equals(a)) {
            return;
        }
        corrupt.add(a.infoHashV1());
        remove(a.infoHashV1());
        LOG.errorf("The origin seeder stopped seeding %s: %s, not SHA-256 %s as the catalogue says. Restore the "
                + "blob %s from a good copy and restart the control plane. Until then the web seed still serves "
                + "it and clients discard the pieces that fail their hash.", a, reason, a.sha256(), a.blob());
        events.corrupt(a);
    }

    // ---------------------------------------------------------------- verification thread

    /**
     * The periodic pass reads only blobs this run has not known right for a whole interval. One
     * uploaded in this run was hashed as it was stored: reading it again a minute later (the first
     * pass) would only load the disk, at the configured rate, while fresh uploads stream in.
     * Blobs from before the start are all read by the first pass: they lay on disk unwatched.
     */
    Verification scheduledPass() {
        try {
            Instant due = Instant.now().minus(options.verifyInterval());
            Verification v = verifyAll(s -> {
                Instant last = lastChecked.get(s.artifact().infoHashV1());
                return last == null || !last.isAfter(due);
            });
            LOG.infof("Verified %d seeded artifacts (%d bytes); %d corrupt", v.checked(), v.bytes(), v.corrupt().size());
            return v;
        } catch (RuntimeException e) {
            LOG.errorf(e, "The origin seeder's verification pass failed");
            return new Verification(0, 0, List.of());
        }
    }

    private Verification verifyAll() {
        return verifyAll(s -> true);
    }

    private Verification verifyAll(Predicate<Seeded> due) {
        List<OriginArtifact> bad = new ArrayList<>();
        int checked = 0;
        long bytes = 0;
        for (Seeded s : List.copyOf(seeded.values())) {
            if (closed.get() || Thread.currentThread().isInterrupted()) {
                break;
            }
            if (seeded.get(s.artifact().infoHashV1()) != s || !due.test(s)) {
                continue;
            }
            Optional<String> problem = check(s);
            checked++;
            bytes += s.artifact().size();
            if (problem.isPresent()) {
                bad.add(s.artifact());
                onWorker(() -> {
                    quarantine(s.artifact(), problem.get());
                    return null;
                });
            }
        }
        return new Verification(checked, bytes, bad);
    }

    private void verifyOne(String ih) {
        Seeded s = seeded.get(ih);
        if (s != null) {
            check(s).ifPresent(problem -> onWorker(() -> {
                quarantine(s.artifact(), problem);
                return null;
            }));
        }
    }

    /** Empty when the bytes libtorrent serves still hash to the catalogue's SHA-256. */
    private Optional<String> check(Seeded s) {
        try {
            Instant now = Instant.now();
            String actual = sha256(s.dataFile(), options.verifyRate());
            if (actual.equals(s.artifact().sha256())) {
                lastChecked.put(s.artifact().infoHashV1(), now);
                return Optional.empty();
            }
            return Optional.of("its bytes now hash to " + actual);
        } catch (IOException e) {
            return Optional.of("its bytes cannot be read (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Thread priorities mean little to Linux's scheduler; a read rate is what keeps this from
     * competing with seeding for the disk.
     */
    static String sha256(Path file, long bytesPerSecond) throws IOException, InterruptedException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 20];
        long start = System.nanoTime();
        long read = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                md.update(buffer, 0, n);
                read += n;
                if (bytesPerSecond > 0) {
                    long due = start + (long) (read * 1e9 / bytesPerSecond);
                    long early = due - System.nanoTime();
                    if (early > 0) {
                        TimeUnit.NANOSECONDS.sleep(early);
                    }
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    // ---------------------------------------------------------------- alert thread

    /**
     * Runs on libtorrent4j's single alert thread. It copies what it needs out of each alert
     * (PLATFORM.md, crash 2: alert objects die with the alert) and never blocks: file writes
     * and session calls go to the worker, hashing to the verifier.
     */
    private final class Listener implements AlertListener {

        private final int[] types = {
            AlertType.LISTEN_SUCCEEDED.swig(), AlertType.LISTEN_FAILED.swig(),
            AlertType.SAVE_RESUME_DATA.swig(), AlertType.SAVE_RESUME_DATA_FAILED.swig(),
            AlertType.STATE_UPDATE.swig(), AlertType.STATE_CHANGED.swig(), AlertType.HASH_FAILED.swig(),
            AlertType.TORRENT_ERROR.swig(), AlertType.FILE_ERROR.swig(), AlertType.FASTRESUME_REJECTED.swig(),
            AlertType.PERFORMANCE.swig(),
        };

        @Override
        public int[] types() {
            return types;
        }

        @Override
        public void alert(Alert<?> alert) {
            switch (alert.type()) {
                case LISTEN_SUCCEEDED -> {
                    ListenSucceededAlert a = (ListenSucceededAlert) alert;
                    if (a.socketType() == SocketType.TCP) {
                        listening.complete(a.port());
                    }
                }
                case LISTEN_FAILED -> {
                    ListenFailedAlert a = (ListenFailedAlert) alert;
                    if (a.socketType() == SocketType.TCP) {
                        listening.completeExceptionally(new IOException(a.error().getMessage()));
                    } else {
                        LOG.warnf("Origin seeder: %s", a.message());
                    }
                }
                case SAVE_RESUME_DATA -> {
                    SaveResumeDataAlert a = (SaveResumeDataAlert) alert;
                    AddTorrentParams params = a.params();
                    String ih = params.getInfoHashes().getV1().toHex();
                    byte[] data = AddTorrentParams.writeResumeDataBuf(params); // here, not later: crash 2
                    try {
                        worker.execute(() -> writeResume(ih, data));
                    } catch (RejectedExecutionException e) {
                        LOG.debugf("Resume data for %s after shutdown", ih);
                    }
                    resumeSaved(ih);
                }
                case SAVE_RESUME_DATA_FAILED -> {
                    String ih = infoHash(alert);
                    LOG.debugf("No resume data for %s: %s", ih, alert.message());
                    resumeSaved(ih);
                }
                case STATE_UPDATE -> {
                    for (TorrentStatus st : ((StateUpdateAlert) alert).status()) {
                        countUpload(st.getInfoHashes().getV1().toHex(), st.totalPayloadUpload());
                    }
                }
                case STATE_CHANGED -> {
                    // The origin never asks for a full check. libtorrent starts one by itself when
                    // a piece fails its seed-mode check (it posts no hash_failed_alert then) or
                    // when it rejects resume data: either way, look at the whole blob now.
                    if (((StateChangedAlert) alert).getState() == TorrentStatus.State.CHECKING_FILES) {
                        String ih = infoHash(alert);
                        fullChecks.computeIfAbsent(ih, k -> new AtomicInteger()).incrementAndGet();
                        verifySoon(ih);
                    }
                }
                case HASH_FAILED -> {
                    LOG.warnf("Origin seeder: %s", alert.message());
                    verifySoon(infoHash(alert));
                }
                case TORRENT_ERROR, FILE_ERROR, FASTRESUME_REJECTED -> LOG.errorf("Origin seeder: %s", alert.message());
                default -> LOG.debugf("Origin seeder: %s", alert.message());
            }
        }

        private void verifySoon(String ih) {
            try {
                verifier.execute(() -> verifyOne(ih));
            } catch (RejectedExecutionException e) {
                LOG.debugf("No verification of %s after shutdown", ih);
            }
        }

        private String infoHash(Alert<?> alert) {
            // torrent_handle::info_hashes() reads an immutable field: no call into the network thread.
            return ((TorrentAlert<?>) alert).swig().getHandle().info_hashes().getV1().to_hex();
        }
    }

    private void resumeSaved(String ih) {
        CompletableFuture<Void> f = resumeSaves.remove(ih);
        if (f != null) {
            f.complete(null);
        }
    }

    private void countUpload(String ih, long sessionTotal) {
        UploadCounter u = uploads.get(ih);
        if (u != null) {
            long delta = u.observe(sessionTotal);
            if (delta > 0) {
                uploadedTotal.addAndGet(delta);
                events.uploaded(delta);
            }
        }
    }

    /** Turns libtorrent's per-add payload counter into one that only grows. */
    private static final class UploadCounter {
        private long total;
        private long lastSeen;

        synchronized long observe(long sessionTotal) {
            long delta = sessionTotal >= lastSeen ? sessionTotal - lastSeen : sessionTotal;
            lastSeen = sessionTotal;
            total += delta;
            return delta;
        }

        synchronized void restart() {
            lastSeen = 0;
        }

        synchronized long total() {
            return total;
        }
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
        verifier.shutdownNow();
        if (session.isRunning()) {
            try {
                List<CompletableFuture<Void>> saves = CompletableFuture.supplyAsync(() -> {
                    List<CompletableFuture<Void>> list = new ArrayList<>();
                    for (Map.Entry<String, Seeded> e : seeded.entrySet()) {
                        CompletableFuture<Void> f = new CompletableFuture<>();
                        resumeSaves.put(e.getKey(), f);
                        list.add(f);
                        e.getValue().handle().saveResumeData();
                    }
                    return list;
                }, worker).get(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                CompletableFuture.allOf(saves.toArray(CompletableFuture[]::new))
                        .get(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                CompletableFuture.runAsync(() -> { }, worker).get(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                LOG.debugf("Saved resume data of %d torrents", saves.size());
            } catch (TimeoutException | ExecutionException e) {
                LOG.warnf("Not all resume data was saved before shutdown (%s); the next start checks those torrents "
                        + "piece by piece as it sends them", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            session.stop();
        }
        worker.shutdown();
        try {
            worker.awaitTermination(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- helpers

    private static java.util.concurrent.ThreadFactory daemon(String name, int priority) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            t.setPriority(priority);
            return t;
        };
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
