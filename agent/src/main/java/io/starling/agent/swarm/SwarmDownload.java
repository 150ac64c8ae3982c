package io.starling.agent.swarm;

import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.Stripe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import org.libtorrent4j.TorrentFlags;
import org.libtorrent4j.TorrentInfo;
import org.libtorrent4j.swig.address;
import org.libtorrent4j.swig.error_code;
import org.libtorrent4j.swig.peer_info;
import org.libtorrent4j.swig.peer_info_vector;
import org.libtorrent4j.swig.tcp_endpoint;
import org.libtorrent4j.swig.torrent_handle;
import org.libtorrent4j.swig.torrent_status;

/**
 * One torrent of an {@link AgentSwarm}, from {@link AgentSwarm#download}. Its methods call into
 * libtorrent's network thread and wait for the answer (well under a millisecond when idle): call
 * them from worker threads, never from an event loop.
 */
public final class SwarmDownload {

    private static final Logger LOG = Logger.getLogger(SwarmDownload.class);
    private static final int BLOCK = 16 * 1024;

    /** A remote endpoint, as libtorrent writes it in alerts and in its peer list. */
    private record Sender(String address, int port) {
    }

    private final AgentSwarm swarm;
    private final String infoHash;
    private final TorrentInfo torrent;
    private final Path saveDir;
    private final long pieceLength;
    private final long totalSize;
    /** Which pieces to ask for first, or null (see {@link PieceStripe}). */
    private final Stripe stripe;
    /** Bytes per sender not yet counted by source; filled by the alert thread, emptied by {@link #drain}. */
    private final Map<Sender, Long> unclassified = new ConcurrentHashMap<>();
    /** Whether a sender is an HTTP seed, from libtorrent's peer list. */
    private final Map<Sender, Boolean> webSeeds = new ConcurrentHashMap<>();
    private final AtomicBoolean peerListWanted = new AtomicBoolean();
    /** Senders still unknown at the last housekeeping pass; that thread only. */
    private final Set<Sender> unknownAtLastPass = new HashSet<>();

    // Guarded by this.
    private long sameSite;
    private long otherSite;
    private long origin;
    private long webSeed;

    /** Web seed URLs not yet given to libtorrent; housekeeping thread only after construction. */
    private List<String> heldBackWebSeeds = List.of();
    private long lastDone = -1;
    private long lastProgressNanos;

    /** Null when the torrent is not in the session (stopped). */
    private volatile torrent_handle handle;
    /** Epoch seconds when every piece was first verified, as libtorrent remembers it; 0 until then. */
    private volatile long completedAt;

    SwarmDownload(AgentSwarm swarm, String infoHash, TorrentInfo torrent, Path saveDir, BytesBySource already,
            Stripe stripe) {
        this.swarm = swarm;
        this.stripe = stripe;
        this.infoHash = infoHash;
        this.torrent = torrent;
        this.saveDir = saveDir;
        this.pieceLength = torrent.pieceLength();
        this.totalSize = torrent.totalSize();
        BytesBySource a = already == null ? BytesBySource.NONE : already;
        this.sameSite = a.sameSitePeers();
        this.otherSite = a.otherSitePeers();
        this.origin = a.originSeeder();
        this.webSeed = a.webSeed();
    }

    /** Keeps these web seeds out of libtorrent until {@link #useWebSeedsIfStalled} decides otherwise. */
    void holdBackWebSeeds(List<String> urls) {
        heldBackWebSeeds = List.copyOf(urls);
    }

    /**
     * Called once a second while downloading: when the bytes done have not grown for {@code after}
     * (no peer delivers: none is reachable, or all are stuck), the held-back web seeds join. Time
     * spent checking files or paused does not count as a stall.
     *
     * @return true when the web seeds were just added
     */
    boolean useWebSeedsIfStalled(torrent_status st, long nowNanos, Duration after) {
        if (heldBackWebSeeds.isEmpty()) {
            return false;
        }
        long done = st.getTotal_wanted_done();
        if (done != lastDone || state(st) != SwarmState.DOWNLOADING) {
            lastDone = done;
            lastProgressNanos = nowNanos;
            return false;
        }
        if (nowNanos - lastProgressNanos < after.toNanos()) {
            return false;
        }
        torrent_handle h = handle;
        if (h == null) {
            return false;
        }
        heldBackWebSeeds.forEach(h::add_url_seed);
        heldBackWebSeeds = List.of();
        return true;
    }

    /** The v1 info-hash, 40 lower-case hex digits: the torrent's name everywhere in Starling. */
    public String infoHash() {
        return infoHash;
    }

    /** The torrent's name: the file's name for a single-file torrent. */
    public String name() {
        return torrent.name();
    }

    public Path saveDir() {
        return saveDir;
    }

    /** Where the content lands: the file of a single-file torrent, the folder of a multi-file one. */
    public Path path() {
        return saveDir.resolve(torrent.name());
    }

    /** Asks libtorrent now. A stopped torrent (not in the session) reports only whether it had completed. */
    public SwarmProgress progress() {
        torrent_handle h = handle;
        if (h == null || !h.is_valid()) {
            boolean finished = completedAt > 0;
            return new SwarmProgress(finished ? totalSize : 0, totalSize, finished, 0, 0, 0, bytesBySource(),
                    SwarmState.STOPPED, null);
        }
        torrent_status st = h.status();
        long wanted = st.getTotal_wanted();
        long done = st.getTotal_wanted_done();
        SwarmState state = state(st);
        String error = state == SwarmState.ERROR ? st.getErrc().message() : null;
        boolean finished = st.getIs_finished() && done == wanted && state != SwarmState.CHECKING;
        return new SwarmProgress(done, wanted, finished, st.getNum_peers(), st.getDownload_payload_rate(),
                st.getUpload_payload_rate(), bytesBySource(), state, error);
    }

    /**
     * Payload bytes downloaded so far, by source, including what was handed in at
     * {@link AgentSwarm#download}. Counted from libtorrent's alerts, a few milliseconds behind
     * {@link #progress()}'s byte counts; final once {@link AgentSwarm#close()} returned.
     */
    public BytesBySource bytesBySource() {
        drain(swarm.classifier());
        return counted();
    }

    /** What has been counted by source so far, without draining. */
    synchronized BytesBySource counted() {
        return new BytesBySource(sameSite, otherSite, origin, webSeed);
    }

    /** Stops downloading and uploading; the torrent stays paused across restarts until {@link #resume()}. */
    public void pause() {
        swarm.pause(this);
    }

    /** Undoes {@link #pause()}; a stopped torrent joins the session again and seeds for another seed time. */
    public void resume() {
        swarm.resume(this);
    }

    /**
     * Takes the torrent out of the swarm and forgets its resume data.
     *
     * @param deleteFiles also delete the downloaded files (never the save folder itself)
     */
    public void remove(boolean deleteFiles) {
        swarm.remove(this, deleteFiles);
    }

    /**
     * Connects to a peer directly. Private torrents learn peers only from the tracker or from this
     * (BEP 27: no DHT, PEX or local discovery). Used by tests, which run without a tracker; the
     * peers a torrent knew are also kept in its resume data and tried again after a restart.
     */
    void connectPeer(InetSocketAddress peer) {
        torrent_handle h = handle;
        if (h == null) {
            throw new IllegalStateException(name() + " is not in the session");
        }
        error_code ec = new error_code();
        address a = address.from_string(peer.getAddress().getHostAddress(), ec);
        if (ec.value() != 0) {
            throw new IllegalArgumentException("not an address: " + peer);
        }
        h.connect_peer(new tcp_endpoint(a, peer.getPort()));
    }

    @Override
    public String toString() {
        return name() + " (" + infoHash + ")";
    }

    // ---------------------------------------------------------------- for AgentSwarm

    TorrentInfo torrent() {
        return torrent;
    }

    Stripe stripe() {
        return stripe;
    }

    torrent_handle handle() {
        return handle;
    }

    /** Deletes the downloaded files (pad files never exist on disk), never the save folder itself. */
    void deleteFiles() {
        Path p = path();
        if (Files.isDirectory(p)) {
            var fs = torrent.swig().files();
            for (int i = 0; i < fs.num_files(); i++) {
                if (!fs.pad_file_at(i)) {
                    deleteQuietly(saveDir.resolve(fs.file_path(i)));
                }
            }
        } else {
            deleteQuietly(p);
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("Cannot delete %s: %s", file, e.getMessage());
        }
    }

    void attach(torrent_handle h) {
        handle = h;
    }

    /** @return the handle it had, or null */
    torrent_handle detach() {
        torrent_handle h = handle;
        handle = null;
        return h;
    }

    long completedAt() {
        return completedAt;
    }

    void completedAt(long epochSeconds) {
        completedAt = epochSeconds;
    }

    /**
     * On the alert thread, once per 16 KiB block that arrived whole: a map update and nothing else.
     *
     * @return true when the sender is new and the peer list should be read (once until it is)
     */
    boolean blockReceived(String address, int port, int piece, int block) {
        long pieceSize = Math.min(pieceLength, totalSize - piece * pieceLength);
        long bytes = Math.min(BLOCK, pieceSize - (long) block * BLOCK);
        if (bytes <= 0) {
            return false;
        }
        Sender s = new Sender(address, port);
        unclassified.merge(s, bytes, Long::sum);
        return !webSeeds.containsKey(s) && peerListWanted.compareAndSet(false, true);
    }

    /**
     * Learns which connections are HTTP seeds. Neither the block alert nor the peer id tells: a
     * web seed connection gets a random peer id. The peer list does, while the connection lasts,
     * which is why a new sender's first block asks for it at once. Not on the alert thread.
     */
    void readPeerList() {
        torrent_handle h = handle;
        peerListWanted.set(false);
        if (h == null || !h.is_valid()) {
            return;
        }
        peer_info_vector peers = new peer_info_vector();
        h.get_peer_info(peers);
        int web = peer_info.web_seed.to_int();
        int http = peer_info.http_seed.to_int();
        for (int i = 0; i < peers.size(); i++) {
            peer_info p = peers.get(i);
            tcp_endpoint ep = p.getIp();
            int type = p.getConnection_type().to_int();
            webSeeds.put(new Sender(ep.address().to_string(), ep.port()), type == web || type == http);
        }
    }

    boolean peerListWanted() {
        return peerListWanted.get();
    }

    boolean hasUncounted() {
        return !unclassified.isEmpty();
    }

    /**
     * Counts what arrived by source, for senders whose kind is known. remove() takes each count
     * atomically, so no block is lost or counted twice whoever drains.
     */
    void drain(SourceClassifier classifier) {
        drain(classifier, false);
    }

    /**
     * Like {@link #drain}, and counts a sender still unknown as a BitTorrent peer: on the
     * housekeeping thread when it was unknown at the previous pass too (its connection closed
     * before the peer list was read), and at the end.
     */
    void settle(SourceClassifier classifier, boolean end) {
        if (end) {
            drain(classifier, true);
            return;
        }
        for (Sender s : unclassified.keySet()) {
            boolean known = webSeeds.containsKey(s);
            if (!known && unknownAtLastPass.add(s)) {
                continue; // one more pass: the peer list asked for may still tell
            }
            unknownAtLastPass.remove(s);
            count(s, classifier, !known);
        }
    }

    private void drain(SourceClassifier classifier, boolean unknownIsPeer) {
        if (unclassified.isEmpty()) {
            return;
        }
        for (Sender s : unclassified.keySet()) {
            count(s, classifier, unknownIsPeer);
        }
    }

    private void count(Sender s, SourceClassifier classifier, boolean unknownIsPeer) {
        Boolean web = webSeeds.get(s);
        if (web == null && !unknownIsPeer) {
            return;
        }
        Long bytes = unclassified.remove(s);
        if (bytes == null) {
            return;
        }
        SourceClassifier.Source source = classifier.classify(s.address(), s.port(), Boolean.TRUE.equals(web));
        synchronized (this) {
            switch (source) {
                case SAME_SITE -> sameSite += bytes;
                case OTHER_SITE -> otherSite += bytes;
                case ORIGIN -> origin += bytes;
                case WEB_SEED -> webSeed += bytes;
            }
        }
    }

    static SwarmState state(torrent_status st) {
        if (st.getErrc().value() != 0) {
            return SwarmState.ERROR;
        }
        // SWIG's typesafe enum: compare the values, there is no switch.
        int s = st.getState().swigValue();
        if (s == torrent_status.state_t.checking_files.swigValue()
                || s == torrent_status.state_t.checking_resume_data.swigValue()) {
            return SwarmState.CHECKING;
        }
        if (st.getFlags().and_(TorrentFlags.PAUSED).non_zero()) {
            return SwarmState.PAUSED;
        }
        return st.getIs_finished() ? SwarmState.SEEDING : SwarmState.DOWNLOADING;
    }
}
