package io.starling.agent.swarm;

import io.starling.agent.state.AtomicFiles;
import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.PeerSources;
import io.starling.protocol.torrent.Libtorrent;
import io.starling.protocol.torrent.ResumeFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.logging.Logger;
import org.libtorrent4j.AddTorrentParams;
import org.libtorrent4j.AlertListener;
import org.libtorrent4j.SessionManager;
import org.libtorrent4j.SettingsPack;
import org.libtorrent4j.TorrentFlags;
import org.libtorrent4j.TorrentInfo;
import org.libtorrent4j.WebSeedEntry;
import org.libtorrent4j.alerts.Alert;
import org.libtorrent4j.alerts.AlertType;
import org.libtorrent4j.alerts.ListenFailedAlert;
import org.libtorrent4j.alerts.ListenSucceededAlert;
import org.libtorrent4j.alerts.SaveResumeDataAlert;
import org.libtorrent4j.alerts.SocketType;
import org.libtorrent4j.alerts.TorrentAlert;
import org.libtorrent4j.swig.add_torrent_params;
import org.libtorrent4j.swig.bitfield;
import org.libtorrent4j.swig.block_finished_alert;
import org.libtorrent4j.swig.error_code;
import org.libtorrent4j.swig.int_bitfield_map;
import org.libtorrent4j.swig.int_vector;
import org.libtorrent4j.swig.remove_flags_t;
import org.libtorrent4j.swig.settings_pack;
import org.libtorrent4j.swig.string_vector;
import org.libtorrent4j.swig.tcp_endpoint;
import org.libtorrent4j.swig.torrent_handle;
import org.libtorrent4j.swig.torrent_status;

/**
 * The agent's BitTorrent swarm: one libtorrent session that downloads releases from peers of
 * the same site, other sites, the origin seeder and the web seed, and then seeds them.
 *
 * <p>Data plane only: nothing here talks to the control plane except libtorrent announcing to
 * the tracker named in each torrent. When the tracker is unreachable libtorrent keeps its
 * connected peers and those in resume data, so a control-plane outage does not stop a swarm.
 *
 * <p>Crash safety. libtorrent trusts resume data blindly: a piece it claims is not hashed again.
 * {@link #close()} saves resume data for every torrent, flushes the downloaded files to disk and
 * then writes a marker, {@code clean-shutdown}; {@link #open} deletes it. When it was missing at
 * open, the previous run ended some other way (killed, power cut) and every torrent added from
 * resume data is checked against its files (added without the resume data's piece claims, so
 * libtorrent hashes whatever is on disk): pieces that hash right are
 * kept, the others downloaded again. Torrents not added again before the next clean stop are
 * listed in the marker and checked whenever they are.
 *
 * <p>Threads. libtorrent runs its own network and disk threads; libtorrent4j calls our listener
 * on one alert thread, which only copies values out (PLATFORM.md, crash 2) and hands work on.
 * One housekeeping thread ({@code agent-swarm}) writes resume files, notices completions and
 * ends seed times. Public methods may be called from any thread; those that add or remove
 * torrents are serialised on this object.
 */
public final class AgentSwarm implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AgentSwarm.class);

    static final String CLEAN_SHUTDOWN = "clean-shutdown";
    private static final Duration RESUME_SAVE_INTERVAL = Duration.ofSeconds(30);
    private static final Duration TICK = Duration.ofSeconds(1);
    private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);
    /** Two block alerts per 16 KiB downloaded: a full queue drops alerts, and with them byte counts. */
    private static final int ALERT_QUEUE_SIZE = 100_000;

    private final SwarmSettings settings;
    private final SessionManager session = new SessionManager(false);
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "agent-swarm");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, SwarmDownload> downloads = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<Void>> resumeSaves = new ConcurrentHashMap<>();
    private final CompletableFuture<Integer> listening = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set by {@link #start()} before anything reads or writes resume data. */
    private ResumeFiles resumeFiles;
    private volatile SourceClassifier classifier = SourceClassifier.NONE;
    private boolean previousRunEndedCleanly;
    /** Set once start() has read the previous run's clean-shutdown marker. */
    private volatile boolean resumeStateRead;
    /**
     * Torrents whose resume data must not be trusted: every one after a crash. A torrent leaves
     * the set when it is added with a recheck; those not added in this run stay in it, and the
     * clean-shutdown marker lists them, so a later run still checks them.
     */
    private final Set<String> untrusted = ConcurrentHashMap.newKeySet();
    private ScheduledFuture<?> tick;
    private long ticks;

    private AgentSwarm(SwarmSettings settings) {
        this.settings = settings;
    }

    /**
     * Starts the session and waits until it listens.
     *
     * @throws IllegalStateException when libtorrent cannot load or cannot listen
     */
    public static AgentSwarm open(SwarmSettings settings) {
        Libtorrent.load(); // before SessionManager touches the first JNI class
        AgentSwarm swarm = new AgentSwarm(settings);
        try {
            swarm.start();
        } catch (RuntimeException e) {
            swarm.close();
            throw e;
        }
        return swarm;
    }

    private void start() {
        // Settings first: a setting libtorrent refuses stops the agent before its state is touched.
        SettingsPack sp = Libtorrent.privateSwarmSettings(settings.listenInterface());
        sp.uploadRateLimit(settings.uploadRateLimit());
        sp.downloadRateLimit(settings.downloadRateLimit());
        sp.alertQueueSize(ALERT_QUEUE_SIZE);
        // TCP out: uTP's delay-based congestion control suits home uplinks, not an office LAN, and
        // over loopback it moved a tenth of TCP's rate at many times its CPU (control plane's
        // TorrentClient). Incoming uTP is still accepted.
        sp.setBoolean(settings_pack.bool_types.enable_outgoing_utp.swigValue(), false);
        Libtorrent.applyNamed(sp, settings.libtorrent());
        Path dir = settings.resumeDir();
        try {
            resumeFiles = ResumeFiles.open(dir, "libtorrent checks the files instead");
            Path marker = dir.resolve(CLEAN_SHUTDOWN);
            previousRunEndedCleanly = Files.isRegularFile(marker);
            untrusted.addAll(previousRunEndedCleanly ? infoHashesListedIn(marker) : resumeFiles.infoHashes());
            Files.deleteIfExists(marker);
            // Durable before anything is downloaded: a crash from here on must be seen as one.
            fsyncDirectory(dir);
            resumeStateRead = true;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the resume folder " + dir, e);
        }
        session.addListener(new Listener());
        session.start(Libtorrent.sessionParams(sp));
        // SessionManager.start turns on every alert category but the logs; keep what we read.
        // block_progress brings block_finished, which is how bytes are attributed to sources.
        session.applySettings(new SettingsPack().setInteger(settings_pack.int_types.alert_mask.swigValue(),
                org.libtorrent4j.swig.alert.status_notification.or_(org.libtorrent4j.swig.alert.error_notification)
                        .or_(org.libtorrent4j.swig.alert.storage_notification)
                        .or_(org.libtorrent4j.swig.alert.block_progress_notification).to_int()));
        // The LAN trap (PLATFORM.md): without this, local and loopback peers ignore both rate limits.
        session.swig().set_peer_class_filter(Libtorrent.everyAddressInGlobalPeerClass());
        try {
            listening.get(LISTEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("The agent cannot accept peers on " + settings.listenInterface() + ": "
                    + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new IllegalStateException("The agent did not start listening on " + settings.listenInterface()
                    + " within " + LISTEN_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the agent's swarm");
        }
        tick = housekeeping.scheduleWithFixedDelay(this::housekeepingQuietly, TICK.toMillis(), TICK.toMillis(),
                TimeUnit.MILLISECONDS);
        if (!previousRunEndedCleanly && !untrusted.isEmpty()) {
            LOG.warnf("The previous run did not stop cleanly (%s is missing): %d torrents are checked against their "
                    + "files as they are added", dir.resolve(CLEAN_SHUTDOWN), untrusted.size());
        }
    }

    /** The TCP port the session accepts peers on (the one bound when the settings say port 0). */
    public int listenPort() {
        return listening.join();
    }

    /** Whether the last run ended with {@link #close()}; if not, resumed torrents are rechecked. */
    public boolean previousRunEndedCleanly() {
        return previousRunEndedCleanly;
    }

    /** Like {@link #download(byte[], Path, BytesBySource)} with no bytes counted before. */
    public SwarmDownload download(byte[] torrentBytes, Path saveDir) {
        return download(torrentBytes, saveDir, BytesBySource.NONE);
    }

    /**
     * Adds a torrent, or returns the one with the same info-hash already added (whatever its save
     * folder and counts). Downloading starts at once; when resume data for the torrent exists in
     * the resume folder, libtorrent continues from it (and checks the files first after a crash).
     * Trackers and web seeds are the torrent's, as given now.
     *
     * @param torrentBytes the .torrent as the control plane served it to this agent (private, with
     *                     this agent's announce URL and web seed)
     * @param saveDir      the folder the file (or the torrent's folder) is written into
     * @param already      bytes by source counted in earlier runs (from the agent's journal): the
     *                     counts continue from there
     * @throws IllegalArgumentException when the bytes are not a torrent with a v1 info-hash
     */
    public SwarmDownload download(byte[] torrentBytes, Path saveDir, BytesBySource already) {
        TorrentInfo ti;
        try {
            ti = new TorrentInfo(torrentBytes);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Not a torrent: " + e.getMessage(), e);
        }
        if (ti.infoHashes().getV1().isAllZeros()) {
            throw new IllegalArgumentException("A v2-only torrent: Starling's torrents are hybrid (v1 + v2)");
        }
        String ih = ti.infoHashes().getV1().toHex();
        synchronized (this) {
            requireOpen();
            SwarmDownload existing = downloads.get(ih);
            if (existing != null) {
                return existing;
            }
            List<String> webSeeds = ti.webSeeds().stream().map(WebSeedEntry::url).toList();
            if (!settings.webSeedAfter().isZero() && !webSeeds.isEmpty()) {
                // Peers first: the web seed joins only when peers do not deliver (see housekeeping).
                ti.setWebSeeds(List.of());
            }
            SwarmDownload d = new SwarmDownload(this, ih, ti, saveDir.toAbsolutePath(), already);
            if (!settings.webSeedAfter().isZero()) {
                d.holdBackWebSeeds(webSeeds);
            }
            Optional<add_torrent_params> resume = resumeFiles.read(ih);
            long completed = resume.map(add_torrent_params::getCompleted_time).orElse(0L);
            downloads.put(ih, d);
            if (seedTimeOver(completed, Instant.now())) {
                d.completedAt(completed);
                LOG.infof("Not seeding %s: it completed at %s, more than %s ago", d, Instant.ofEpochSecond(completed),
                        settings.seedTime());
                return d;
            }
            try {
                add(d, resume.orElse(null));
            } catch (RuntimeException e) {
                downloads.remove(ih);
                throw e;
            }
            return d;
        }
    }

    /** Every torrent of this swarm, stopped ones included. */
    public List<SwarmDownload> downloads() {
        return downloads.values().stream().sorted(Comparator.comparing(SwarmDownload::name)).toList();
    }

    public Optional<SwarmDownload> find(String infoHash) {
        return Optional.ofNullable(downloads.get(infoHash));
    }

    /** One line per torrent, for {@code starling-agent status}; asks libtorrent for each. */
    public List<TorrentStatus> status() {
        List<TorrentStatus> out = new ArrayList<>();
        for (SwarmDownload d : downloads()) {
            out.add(TorrentStatus.of(d, d.progress()));
        }
        return out;
    }

    /**
     * Replaces what tells same-site peers, other sites and the origin seeder apart (from each
     * check-in). Bytes that arrived before are classified with the previous sources.
     *
     * @throws IllegalArgumentException when a site range is not a CIDR range
     */
    public void updatePeerSources(PeerSources sources) {
        SourceClassifier next = SourceClassifier.of(sources);
        synchronized (this) {
            SourceClassifier previous = classifier;
            for (SwarmDownload d : downloads.values()) {
                d.drain(previous);
            }
            classifier = next;
        }
    }

    /**
     * Stops seeding a torrent now, whatever its seed time (a newer release replaced it): it leaves
     * the session, its files and resume data stay. {@link SwarmDownload#resume()} seeds it again.
     *
     * @return false when no such torrent is in the swarm or it was stopped already
     */
    public boolean stopSeeding(String infoHash) {
        SwarmDownload d = downloads.get(infoHash);
        return d != null && stop(d, "stopped on request");
    }

    // ---------------------------------------------------------------- torrents

    SourceClassifier classifier() {
        return classifier;
    }

    private void add(SwarmDownload d, add_torrent_params resume) {
        boolean resumed = resume != null;
        add_torrent_params p = resumed ? resume : new add_torrent_params();
        p.set_ti(d.torrent().swig());
        p.setSave_path(d.saveDir().toString());
        // The torrent's own trackers and web seeds, never the ones resume data remembers: a new
        // passkey or web seed URL in the torrent must replace the old one, not join it.
        p.setTrackers(new string_vector());
        p.setTracker_tiers(new int_vector());
        p.setUrl_seeds(new string_vector());
        var flags = p.getFlags()
                .and_(TorrentFlags.AUTO_MANAGED.inv()) // libtorrent's queue would pause all but a few
                .and_(TorrentFlags.OVERRIDE_TRACKERS.inv())
                .and_(TorrentFlags.OVERRIDE_WEB_SEEDS.inv())
                .and_(TorrentFlags.SEED_MODE.inv())
                .or_(TorrentFlags.DISABLE_DHT).or_(TorrentFlags.DISABLE_LSD).or_(TorrentFlags.DISABLE_PEX);
        if (!resumed) {
            flags = flags.and_(TorrentFlags.PAUSED.inv()); // a resumed torrent keeps the paused state it had
        }
        p.setFlags(flags);
        boolean recheck = resumed && untrusted.remove(d.infoHash());
        if (recheck) {
            // No piece claims: libtorrent then checks every file it finds, before anything else.
            // force_recheck() after the add is not the same: libtorrent ignores it while it is
            // still reading the resume data, and then trusts what the resume data claims.
            p.set_have_pieces(new bitfield());
            p.set_verified_pieces(new bitfield());
            p.set_unfinished_pieces(new int_bitfield_map());
        }
        error_code ec = new error_code();
        // The synchronous add returns a handle we own; handles from alerts die with the alert.
        torrent_handle h = session.swig().add_torrent(p, ec);
        if (ec.value() != 0) {
            throw new IllegalStateException("libtorrent refused " + d + ": " + ec.message());
        }
        d.attach(h);
        if (recheck) {
            LOG.infof("Checking %s against its files: a run did not stop cleanly since they were last verified", d);
        } else {
            LOG.infof("Added %s into %s%s", d, d.saveDir(), resumed ? " from resume data" : "");
        }
        if (!resumed) {
            h.save_resume_data(); // from now on a restart finds it in the resume folder
        }
    }

    synchronized void pause(SwarmDownload d) {
        torrent_handle h = d.handle();
        if (h != null) {
            h.pause();
            h.save_resume_data();
        }
    }

    synchronized void resume(SwarmDownload d) {
        requireOpen();
        if (downloads.get(d.infoHash()) != d) {
            throw new IllegalStateException(d + " was removed from the swarm");
        }
        torrent_handle h = d.handle();
        if (h != null) {
            h.resume();
            h.save_resume_data();
            return;
        }
        // Stopped: back into the session, seeding for another seed time from now.
        add_torrent_params p = resumeFiles.read(d.infoHash()).orElse(null);
        if (p != null) {
            p.setCompleted_time(0);
            p.setFlags(p.getFlags().and_(TorrentFlags.PAUSED.inv()));
        }
        d.completedAt(0);
        add(d, p);
    }

    synchronized void remove(SwarmDownload d, boolean deleteFiles) {
        if (!downloads.remove(d.infoHash(), d)) {
            return;
        }
        torrent_handle h = d.detach();
        if (h != null && session.isRunning()) {
            // libtorrent deletes the files after its outstanding disk jobs, so none writes them back.
            remove_flags_t flags = deleteFiles ? org.libtorrent4j.swig.session.delete_files : new remove_flags_t();
            session.swig().remove_torrent(h, flags);
        } else if (deleteFiles) {
            deleteFiles(d);
        }
        untrusted.remove(d.infoHash()); // its resume data goes
        Path resume = resumeFiles.file(d.infoHash());
        // On the housekeeping thread, after any resume write already queued for this torrent.
        onHousekeeping(() -> deleteQuietly(resume));
        LOG.infof("Removed %s%s", d, deleteFiles ? " and its files" : "");
    }

    private synchronized boolean stop(SwarmDownload d, String why) {
        if (downloads.get(d.infoHash()) != d || d.handle() == null) {
            return false;
        }
        if (d.hasUncounted()) {
            d.readPeerList();
        }
        d.settle(classifier, true);
        torrent_handle h = d.detach();
        if (h == null) {
            return false;
        }
        h.save_resume_data(); // handled before the removal: libtorrent runs both in order
        session.swig().remove_torrent(h);
        LOG.infof("Stopped seeding %s (%s); its files stay in %s", d, why, d.saveDir());
        return true;
    }

    private boolean seedTimeOver(long completedEpochSeconds, Instant now) {
        Duration seedTime = settings.seedTime();
        return !seedTime.isZero() && completedEpochSeconds > 0
                && !Instant.ofEpochSecond(completedEpochSeconds).plus(seedTime).isAfter(now);
    }

    private static void deleteFiles(SwarmDownload d) {
        Path p = d.path();
        if (Files.isDirectory(p)) {
            var fs = d.torrent().swig().files();
            for (int i = 0; i < fs.num_files(); i++) {
                if (!fs.pad_file_at(i)) {
                    deleteQuietly(d.saveDir().resolve(fs.file_path(i)));
                }
            }
        } else {
            deleteQuietly(p);
        }
    }

    // ---------------------------------------------------------------- housekeeping thread

    private void housekeepingQuietly() {
        try {
            housekeeping();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Swarm housekeeping failed; trying again in %s", TICK);
        }
    }

    /**
     * Once a second: notices completions of torrents still downloading or checking (a status call
     * each, nothing for seeding ones), ends seed times, and every {@link #RESUME_SAVE_INTERVAL}
     * saves resume data of torrents that changed. An idle swarm costs one pass over a short map.
     */
    private void housekeeping() {
        if (closed.get()) {
            return;
        }
        Instant now = Instant.now();
        boolean saveResume = ++ticks % (RESUME_SAVE_INTERVAL.toMillis() / TICK.toMillis()) == 0;
        for (SwarmDownload d : downloads.values()) {
            torrent_handle h = d.handle();
            if (h == null) {
                continue;
            }
            if (d.completedAt() == 0) {
                torrent_status st = h.status();
                if (st.getIs_finished() && SwarmDownload.state(st) != SwarmState.CHECKING) {
                    long completed = st.getCompleted_time();
                    d.completedAt(completed > 0 ? completed : now.getEpochSecond());
                    h.save_resume_data();
                } else if (d.useWebSeedsIfStalled(st, System.nanoTime(), settings.webSeedAfter())) {
                    LOG.infof("No progress from peers for %s: %s downloads from the web seed too", settings.webSeedAfter(), d);
                }
            }
            if (d.peerListWanted()) {
                d.readPeerList();
            }
            d.settle(classifier, false);
            if (seedTimeOver(d.completedAt(), now)) {
                torrent_status st = h.status();
                if (st.getIs_finished() && SwarmDownload.state(st) != SwarmState.CHECKING) {
                    stop(d, "seed time of " + settings.seedTime() + " over");
                } else {
                    d.completedAt(0); // a recheck found a bad piece: seed again once it is whole
                }
            } else if (saveResume && h.need_save_resume_data()) {
                h.save_resume_data();
            }
        }
    }

    private void onHousekeeping(Runnable task) {
        try {
            housekeeping.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debugf("Swarm closed; dropped a housekeeping task");
        }
    }

    private void writeResume(String ih, byte[] data) {
        if (downloads.containsKey(ih)) { // else removed after libtorrent serialised it: writing would bring it back
            resumeFiles.write(ih, data);
        }
    }

    // ---------------------------------------------------------------- alert thread

    /**
     * Runs on libtorrent4j's single alert thread. It copies what it needs out of each alert
     * (objects from an alert die with it: PLATFORM.md, crash 2) and never blocks: file writes and
     * anything that waits for libtorrent go to the housekeeping thread.
     */
    private final class Listener implements AlertListener {

        private final int[] types = {
            AlertType.LISTEN_SUCCEEDED.swig(), AlertType.LISTEN_FAILED.swig(),
            AlertType.SAVE_RESUME_DATA.swig(), AlertType.SAVE_RESUME_DATA_FAILED.swig(),
            AlertType.BLOCK_FINISHED.swig(), AlertType.TORRENT_FINISHED.swig(), AlertType.HASH_FAILED.swig(),
            AlertType.TORRENT_ERROR.swig(), AlertType.FILE_ERROR.swig(), AlertType.FASTRESUME_REJECTED.swig(),
        };

        @Override
        public int[] types() {
            return types;
        }

        @Override
        public void alert(Alert<?> alert) {
            switch (alert.type()) {
                case BLOCK_FINISHED -> {
                    block_finished_alert a = (block_finished_alert) alert.swig();
                    SwarmDownload d = downloads.get(infoHash(alert));
                    if (d != null) {
                        tcp_endpoint e = a.get_endpoint();
                        if (d.blockReceived(e.address().to_string(), e.port(), a.getPiece_index(), a.getBlock_index())) {
                            onHousekeeping(d::readPeerList); // while the new connection is still open
                        }
                    }
                }
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
                    }
                    LOG.warnf("Swarm: %s", a.message());
                }
                case SAVE_RESUME_DATA -> {
                    AddTorrentParams params = ((SaveResumeDataAlert) alert).params();
                    String ih = params.getInfoHashes().getV1().toHex();
                    byte[] data = AddTorrentParams.writeResumeDataBuf(params); // here, not later: crash 2
                    onHousekeeping(() -> writeResume(ih, data));
                    resumeSaved(ih);
                }
                case SAVE_RESUME_DATA_FAILED -> {
                    String ih = infoHash(alert);
                    LOG.debugf("No resume data for %s: %s", ih, alert.message());
                    resumeSaved(ih);
                }
                case TORRENT_FINISHED -> {
                    String ih = infoHash(alert);
                    SwarmDownload d = downloads.get(ih);
                    if (d != null) {
                        LOG.infof("Every piece of %s is verified; seeding it", d);
                    }
                    // The housekeeping pass notes the completion time and saves resume data.
                }
                case HASH_FAILED -> LOG.warnf("Swarm: %s (the piece is downloaded again)", alert.message());
                case FASTRESUME_REJECTED -> LOG.warnf("Swarm: %s (libtorrent checks the files instead)", alert.message());
                case TORRENT_ERROR, FILE_ERROR -> LOG.errorf("Swarm: %s", alert.message());
                default -> LOG.debugf("Swarm: %s", alert.message());
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

    // ---------------------------------------------------------------- shutdown

    /**
     * Saves resume data of every torrent, stops libtorrent (about a second), flushes the
     * downloaded files to disk and writes the clean-shutdown marker. A torrent whose resume data
     * could not be saved in time leaves the marker out, so the next start checks the files.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (tick != null) {
            tick.cancel(false);
        }
        boolean allSaved = true;
        if (session.isRunning()) {
            allSaved = saveAllResumeData();
            for (SwarmDownload d : downloads.values()) {
                if (d.hasUncounted()) {
                    d.readPeerList(); // the last look at which connections are web seeds
                }
            }
            session.stop();
        }
        for (SwarmDownload d : downloads.values()) {
            d.settle(classifier, true); // the journal reads the final counts after close
        }
        housekeeping.shutdown();
        try {
            allSaved &= housekeeping.awaitTermination(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            allSaved = false;
        }
        if (!allSaved || !resumeStateRead) {
            // Not a clean stop, or one that never read what the last run left: a marker written
            // now would vouch for files this run never looked at. The next start checks them.
            return;
        }
        try {
            for (SwarmDownload d : downloads.values()) {
                fsyncContent(d);
            }
            Path dir = settings.resumeDir();
            fsyncDirectory(dir);
            // Lists the torrents still to be checked: those not added since a crash.
            String pending = untrusted.stream().sorted().map(ih -> ih + "\n").collect(Collectors.joining());
            AtomicFiles.write(dir.resolve(CLEAN_SHUTDOWN), pending.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.warnf("Cannot record the clean shutdown (%s); the next start checks every torrent's files", e.getMessage());
        }
    }

    private boolean saveAllResumeData() {
        List<CompletableFuture<Void>> saves = new ArrayList<>();
        synchronized (this) {
            for (SwarmDownload d : downloads.values()) {
                torrent_handle h = d.handle();
                if (h != null && h.is_valid()) {
                    if (SwarmDownload.state(h.status()) == SwarmState.CHECKING) {
                        // Resume data saved mid-check claims only the pieces checked so far; the
                        // next run checks the whole file again rather than download the rest.
                        untrusted.add(d.infoHash());
                    }
                    CompletableFuture<Void> f = new CompletableFuture<>();
                    resumeSaves.put(d.infoHash(), f);
                    saves.add(f);
                    h.save_resume_data();
                }
            }
        }
        try {
            CompletableFuture.allOf(saves.toArray(CompletableFuture[]::new))
                    .get(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            // The writes were queued on the housekeeping thread before each future completed.
            CompletableFuture.runAsync(() -> { }, housekeeping).get(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException | RejectedExecutionException e) {
            LOG.warnf("Not all resume data was saved before shutdown (%s); the next start checks the files", e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Ends the session the way {@code kill -9} would, for tests: no resume data saved, no files
     * flushed, no clean-shutdown marker. libtorrent's threads stop so that the next session can
     * use the same folders.
     */
    void simulateCrash() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (tick != null) {
            tick.cancel(false);
        }
        housekeeping.shutdownNow();
        session.stop();
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("The agent's swarm is closed");
        }
    }

    // ---------------------------------------------------------------- files

    private static void fsyncContent(SwarmDownload d) throws IOException {
        Path p = d.path();
        if (Files.isRegularFile(p)) {
            fsync(p);
        } else if (Files.isDirectory(p)) {
            try (Stream<Path> files = Files.walk(p)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    fsync(f);
                }
            }
        }
    }

    private static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static void fsyncDirectory(Path dir) {
        // Makes renames and deletions in the folder durable; Linux allows fsync on a directory opened read-only.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debugf("Cannot fsync %s: %s", dir, e.getMessage());
        }
    }

    private static List<String> infoHashesListedIn(Path marker) throws IOException {
        return Files.readAllLines(marker, StandardCharsets.UTF_8).stream()
                .map(String::strip).filter(l -> l.matches("[0-9a-f]{40}")).toList();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("Cannot delete %s: %s", file, e.getMessage());
        }
    }
}
