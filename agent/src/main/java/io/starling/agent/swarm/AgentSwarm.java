package io.starling.agent.swarm;

import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.PeerSources;
import io.starling.protocol.agent.Stripe;
import io.starling.protocol.torrent.Libtorrent;
import io.starling.protocol.torrent.ResumeFiles;
import io.starling.protocol.torrent.SslTorrents;
import io.starling.protocol.torrent.TorrentSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.libtorrent4j.SettingsPack;
import org.libtorrent4j.TorrentFlags;
import org.libtorrent4j.TorrentInfo;
import org.libtorrent4j.WebSeedEntry;
import org.libtorrent4j.swig.add_torrent_params;
import org.libtorrent4j.swig.settings_pack;
import org.libtorrent4j.swig.torrent_handle;

/**
 * The agent's BitTorrent swarm: one libtorrent session that downloads releases from peers of
 * the same site, other sites, the origin seeder and the web seed, and then seeds them.
 *
 * <p>Data plane only: nothing here talks to the control plane except libtorrent announcing to
 * the tracker named in each torrent. When the tracker is unreachable libtorrent keeps its
 * connected peers and those in resume data, so a control-plane outage does not stop a swarm.
 *
 * <p>Crash safety. libtorrent trusts resume data blindly, so {@link #close()} ends with the
 * {@link CleanShutdown} marker, and after a run that did not, torrents added from resume data are
 * checked against their files (added without the resume data's piece claims, so libtorrent
 * hashes whatever is on disk).
 *
 * <p>Threads. libtorrent runs its own network and disk threads; libtorrent4j calls
 * {@link SwarmAlerts} and {@link TorrentSession}'s listener on one alert thread, which only copies
 * values out and hands work on. One {@link SwarmHousekeeping} thread writes resume files, notices
 * completions and ends seed times. Public methods may be called from any thread; those that add
 * or remove torrents are serialised on this object.
 *
 * <p>About 400 lines on purpose: adding, pausing, resuming, stopping and removing torrents share
 * this object's lock with shutdown, and splitting them apart would split that lock.
 */
public final class AgentSwarm implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AgentSwarm.class);

    static final String CLEAN_SHUTDOWN = CleanShutdown.FILE;
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);

    private final SwarmSettings settings;
    private final Map<String, SwarmDownload> downloads = new ConcurrentHashMap<>();
    private final SwarmHousekeeping housekeeping;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set by {@link #start()}: the resume folder first, then what the last run left, then the session. */
    private ResumeFiles resumeFiles;
    private volatile CleanShutdown cleanShutdown;
    private volatile TorrentSession session;
    private volatile SourceClassifier classifier = SourceClassifier.NONE;
    /** Certificate and key PEM for SSL torrents; null until the first check-in gives one. */
    private volatile PeerCertificate peerCertificate;

    private record PeerCertificate(String certificatePem, String privateKeyPem) {
        void loadOn(torrent_handle h) {
            SslTorrents.setCertificate(h, certificatePem, privateKeyPem);
        }
    }

    private AgentSwarm(SwarmSettings settings) {
        this.settings = settings;
        this.housekeeping = new SwarmHousekeeping(settings, downloads::values, () -> classifier, this::stop);
    }

    /**
     * Starts the session and waits until it listens.
     *
     * @throws IllegalStateException when libtorrent cannot load or cannot listen
     */
    public static AgentSwarm open(SwarmSettings settings) {
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
        SettingsPack sp = TorrentSession.settings(SslTorrents.sslListenInterface(settings.listenInterface(),
                sslPort(settings.listenInterface())));
        sp.uploadRateLimit(settings.uploadRateLimit());
        sp.downloadRateLimit(settings.downloadRateLimit());
        // TCP out: uTP's delay-based congestion control suits home uplinks, not an office LAN, and
        // over loopback it moved a tenth of TCP's rate at many times its CPU (protocol's test
        // TorrentClient). Incoming uTP is still accepted.
        sp.setBoolean(settings_pack.bool_types.enable_outgoing_utp.swigValue(), false);
        Libtorrent.applyNamed(sp, settings.libtorrent());
        Path dir = settings.resumeDir();
        try {
            resumeFiles = ResumeFiles.open(dir, "libtorrent checks the files instead");
            cleanShutdown = CleanShutdown.read(resumeFiles);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the resume folder " + dir, e);
        }
        try {
            session = TorrentSession.start("Swarm", sp, SwarmAlerts.CATEGORIES, new SwarmAlerts(downloads, housekeeping),
                    new TorrentSession.ResumeWrites(resumeFiles, housekeeping, downloads::containsKey));
        } catch (IOException e) {
            throw new IllegalStateException("The agent cannot accept peers on " + settings.listenInterface() + ": "
                    + e.getMessage());
        } catch (TimeoutException e) {
            throw new IllegalStateException("The agent did not start listening on " + settings.listenInterface()
                    + " within " + TorrentSession.LISTEN_TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while starting the agent's swarm");
        }
        housekeeping.start();
        cleanShutdown.warnIfUnclean();
    }

    /** The TCP port the session accepts peers on (the one bound when the settings say port 0). */
    public int listenPort() {
        return session.listenPort();
    }

    /**
     * Peers of SSL torrents connect over TLS to the port after the listen port (any free port when
     * that is 0); libtorrent announces it for them by itself.
     */
    static int sslPort(String listenInterface) {
        int port = Integer.parseInt(listenInterface.substring(listenInterface.lastIndexOf(':') + 1));
        return port == 0 ? 0 : port + 1;
    }

    /** The TLS port for SSL torrents, when it listens. */
    public java.util.OptionalInt sslListenPort() {
        return session.sslListenPort();
    }

    /**
     * The certificate this agent presents in SSL torrents: loaded on every SSL torrent now in the
     * swarm and every one added later. Without one, an SSL torrent connects to nobody (the web seed
     * still serves it).
     */
    public synchronized void peerCertificate(String certificatePem, String privateKeyPem) {
        peerCertificate = new PeerCertificate(certificatePem, privateKeyPem);
        for (SwarmDownload d : downloads.values()) {
            torrent_handle h = d.handle();
            if (h != null && SslTorrents.isSsl(d.torrent())) {
                peerCertificate.loadOn(h);
            }
        }
    }

    /** Whether the last run ended with {@link #close()}; if not, resumed torrents are rechecked. */
    public boolean previousRunEndedCleanly() {
        return cleanShutdown.previousRunEndedCleanly();
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
        return download(torrentBytes, saveDir, already, null);
    }

    /**
     * Like {@link #download(byte[], Path, BytesBySource)}, asking for the pieces of a stripe first
     * (the control plane's hint; null or invalid: rarest first alone). A torrent already added
     * keeps the order it was added with.
     */
    public SwarmDownload download(byte[] torrentBytes, Path saveDir, BytesBySource already, Stripe stripe) {
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
            SwarmDownload d = new SwarmDownload(this, ih, ti, saveDir.toAbsolutePath(), already, stripe);
            if (!settings.webSeedAfter().isZero()) {
                d.holdBackWebSeeds(webSeeds);
            }
            Optional<add_torrent_params> resume = resumeFiles.read(ih);
            long completed = resume.map(add_torrent_params::getCompleted_time).orElse(0L);
            downloads.put(ih, d);
            if (housekeeping.seedTimeOver(completed, Instant.now())) {
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
        boolean recheck = resumed && cleanShutdown.recheck(d.infoHash());
        torrent_handle h = session.add(SwarmAddParams.of(d, resume, recheck), d);
        d.attach(h);
        PeerCertificate cert = peerCertificate;
        if (SslTorrents.isSsl(d.torrent())) {
            if (cert != null) {
                cert.loadOn(h);
            } else {
                LOG.warnf("%s is an SSL torrent and this agent has no peer certificate yet: no peers until the next "
                        + "check-in brings one", d);
            }
        }
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
            session.remove(h, deleteFiles);
        } else if (deleteFiles) {
            d.deleteFiles();
        }
        cleanShutdown.forget(d.infoHash()); // its resume data goes
        Path resume = resumeFiles.file(d.infoHash());
        // On the housekeeping thread, after any resume write already queued for this torrent.
        housekeeping.runQuietly(() -> SwarmDownload.deleteQuietly(resume));
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
        session.remove(h, false);
        LOG.infof("Stopped seeding %s (%s); its files stay in %s", d, why, d.saveDir());
        return true;
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
        housekeeping.stopPasses();
        boolean allSaved = true;
        TorrentSession s = session;
        if (s != null && s.isRunning()) {
            allSaved = s.saveAll(this::handlesToSave);
            for (SwarmDownload d : downloads.values()) {
                if (d.hasUncounted()) {
                    d.readPeerList(); // the last look at which connections are web seeds
                }
            }
            s.close();
        }
        for (SwarmDownload d : downloads.values()) {
            d.settle(classifier, true); // the journal reads the final counts after close
        }
        allSaved &= housekeeping.shutdown(SHUTDOWN_TIMEOUT);
        if (!allSaved || cleanShutdown == null) {
            // Not a clean stop, or one that never read what the last run left: a marker written
            // now would vouch for files this run never looked at. The next start checks them.
            return;
        }
        try {
            cleanShutdown.write(downloads.values());
        } catch (IOException e) {
            LOG.warnf("Cannot record the clean shutdown (%s); the next start checks every torrent's files", e.getMessage());
        }
    }

    /** On the housekeeping thread, at shutdown: the torrents whose resume data is saved. */
    private synchronized List<torrent_handle> handlesToSave() {
        List<torrent_handle> handles = new ArrayList<>();
        for (SwarmDownload d : downloads.values()) {
            torrent_handle h = d.handle();
            if (h != null && h.is_valid()) {
                if (SwarmDownload.state(h.status()) == SwarmState.CHECKING) {
                    // Resume data saved mid-check claims only the pieces checked so far; the
                    // next run checks the whole file again rather than download the rest.
                    cleanShutdown.distrust(d.infoHash());
                }
                handles.add(h);
            }
        }
        return handles;
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
        housekeeping.stopPasses();
        housekeeping.shutdownNow();
        session.close();
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException("The agent's swarm is closed");
        }
    }
}
