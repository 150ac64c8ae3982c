package io.starling.controlplane.tracker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The peers of one torrent, grouped by site. All access is under this object's lock; critical
 * sections are short (no I/O), so thousands of announces per second share it comfortably.
 */
final class Swarm {

    final TrackedTorrent torrent;
    private final Map<String, Peer> peers = new HashMap<>();
    /** The same peers by passkey, address and port: a client that restarts comes back there with a new peer id. */
    private final Map<String, Peer> byEndpoint = new HashMap<>();
    private final Map<String, SiteGroup> sites = new HashMap<>();
    private long completed;
    private long reportedUploaded;
    private long reportedDownloaded;
    /**
     * What this replica added to the three counters since its last save. Saved as increments, so
     * that replicas counting the same swarm add up instead of overwriting each other.
     */
    private Counters unsaved = Counters.ZERO;
    /** Peers changed since the last save, by key; null value means "removed". */
    private Map<String, Peer> dirty = new HashMap<>();
    /** Peers per passkey, so one leaked or misused passkey cannot fill a swarm with invented peers. */
    private final Map<Long, Integer> perPasskey = new HashMap<>();
    private final Limits limits;
    /** Whether the origin super-seeds this swarm, as this tracker last decided. */
    private boolean superSeeding;
    /** Whether the swarm store has read this swarm's stored peers once; set by the store only. */
    volatile boolean loaded;

    /**
     * How many peers one passkey may register in this swarm, and how many peers the swarm holds.
     * Enforced on announces here; peers another replica admitted are taken in as they are.
     */
    record Limits(int peersPerPasskey, int peers) {
        static final Limits NONE = new Limits(Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    Swarm(TrackedTorrent torrent) {
        this(torrent, Limits.NONE);
    }

    Swarm(TrackedTorrent torrent, Limits limits) {
        this.torrent = torrent;
        this.limits = limits;
    }

    record Stats(int seeds, int leechers, long completed, long reportedUploaded, long reportedDownloaded) {
    }

    /** Completions and reported bytes: a swarm's totals, or what one replica added to them. */
    record Counters(long completed, long uploaded, long downloaded) {
        static final Counters ZERO = new Counters(0, 0, 0);

        Counters plus(Counters o) {
            return new Counters(completed + o.completed, uploaded + o.uploaded, downloaded + o.downloaded);
        }

        boolean isZero() {
            return equals(ZERO);
        }
    }

    /**
     * @param superSeedingNow the origin should now start ({@code true}) or stop ({@code false}) super-seeding this
     *                        swarm; null: no change
     */
    record Result(List<PeerAddress> peers, Stats stats, Boolean superSeedingNow) {
        Result(List<PeerAddress> peers, Stats stats) {
            this(peers, stats, null);
        }
    }

    synchronized Result announce(AnnounceRequest r, long passkeyId, String site, long now, PeerSelector selector) {
        String key = passkeyId + ":" + new String(r.peerId(), java.nio.charset.StandardCharsets.ISO_8859_1);
        Peer peer = peers.get(key);
        if (r.event() == AnnounceRequest.Event.STOPPED) {
            if (peer != null) {
                account(peer, r);
                remove(peer);
            }
            return new Result(List.of(), stats());
        }
        if (peer == null) {
            Peer previous = byEndpoint.get(endpoint(passkeyId, r.ip(), r.port()));
            if (previous != null) {
                // The same client restarted (killed, say) under a new peer id: its old entry is dead, and left
                // in place it would hold its site's gateway slot, and its passkey's quota, until the TTL.
                remove(previous);
            }
            admit(passkeyId);
            // A new peer's counters are its starting point, not bytes moved while we watched.
            peer = new Peer(key, r.peerId(), passkeyId);
            track(peer);
        } else {
            account(peer, r);
        }
        boolean wasLeecher = peer.list != null && !peer.isSeed();
        SiteGroup group = place(peer, r, site, now);
        group.elect(peer, selector.siteGateways());
        if (!peer.countedComplete && r.left() == 0
                && (r.event() == AnnounceRequest.Event.COMPLETED || wasLeecher)) {
            peer.countedComplete = true;
            completed++;
            unsaved = unsaved.plus(new Counters(1, 0, 0));
            group.lastProgressMillis = now;
        }
        dirty.put(key, peer);
        boolean was = superSeeding;
        superSeeding = selector.superSeeds(sites.values(), was);
        return new Result(selector.select(peer, group, sites.values(), r.numwant(), now, superSeeding), stats(),
                superSeeding != was ? superSeeding : null);
    }

    /** Leechers and seeds per site, for the log: {@code site-1 19 leechers 1 seed, site-2 …}. */
    synchronized String sitesSummary() {
        StringBuilder b = new StringBuilder();
        for (SiteGroup g : sites.values()) {
            if (!g.isEmpty()) {
                b.append(b.isEmpty() ? "" : ", ").append(g.site.isEmpty() ? "no site" : g.site).append(' ')
                        .append(g.leechers.size()).append(g.leechers.size() == 1 ? " leecher " : " leechers ")
                        .append(g.seeds.size()).append(g.seeds.size() == 1 ? " seed" : " seeds");
            }
        }
        return b.toString();
    }

    private static String endpoint(long passkeyId, byte[] ip, int port) {
        return passkeyId + "/" + HexFormat.of().formatHex(ip) + "/" + port;
    }

    private void admit(long passkeyId) {
        int mine = perPasskey.getOrDefault(passkeyId, 0);
        if (mine >= limits.peersPerPasskey()) {
            throw new TrackerRefusal("this passkey already has " + mine + " peers in this swarm, the most allowed;"
                    + " stopped clients leave the swarm when they announce 'stopped' or after the peer TTL");
        }
        if (peers.size() >= limits.peers()) {
            throw new TrackerRefusal("this swarm is full (" + peers.size() + " peers)");
        }
    }

    private void track(Peer peer) {
        peers.put(peer.key, peer);
        perPasskey.merge(peer.passkeyId, 1, Integer::sum);
    }

    private void untrack(Peer peer) {
        peers.remove(peer.key);
        if (peer.ip != null) {
            byEndpoint.remove(endpoint(peer.passkeyId, peer.ip, peer.port), peer);
        }
        perPasskey.computeIfPresent(peer.passkeyId, (k, n) -> n > 1 ? n - 1 : null);
    }

    /** Counters are cumulative per client session; a client restart starts them again from zero. */
    private void account(Peer peer, AnnounceRequest r) {
        long up = r.uploaded() >= peer.uploaded ? r.uploaded() - peer.uploaded : r.uploaded();
        long down = r.downloaded() >= peer.downloaded ? r.downloaded() - peer.downloaded : r.downloaded();
        reportedUploaded += up;
        reportedDownloaded += down;
        if (up != 0 || down != 0) {
            unsaved = unsaved.plus(new Counters(0, up, down));
        }
    }

    private SiteGroup place(Peer peer, AnnounceRequest r, String site, long now) {
        SiteGroup target = sites.computeIfAbsent(site, s -> new SiteGroup(s, now));
        boolean progressed = r.downloaded() > peer.downloaded;
        if (peer.list != null) {
            peer.list.remove(peer);
            SiteGroup previous = sites.get(peer.site);
            if (previous != null && previous != target) {
                previous.gateways.remove(peer);
            }
            if (previous != null && previous != target && previous.isEmpty()) {
                sites.remove(previous.site);
            }
        }
        if (peer.ip == null || peer.port != r.port() || !Arrays.equals(peer.ip, r.ip())) {
            if (peer.ip != null) {
                byEndpoint.remove(endpoint(peer.passkeyId, peer.ip, peer.port), peer);
            }
            byEndpoint.put(endpoint(peer.passkeyId, r.ip(), r.port()), peer);
        }
        peer.ip = r.ip();
        peer.port = r.port();
        peer.uploaded = r.uploaded();
        peer.downloaded = r.downloaded();
        peer.left = r.left();
        peer.site = site;
        peer.lastSeenMillis = now;
        target.listFor(peer).add(peer);
        if (progressed && !peer.isSeed()) {
            target.lastProgressMillis = now;
        }
        return target;
    }

    private void remove(Peer peer) {
        if (peer.list != null) {
            peer.list.remove(peer);
        }
        untrack(peer);
        SiteGroup g = sites.get(peer.site);
        if (g != null) {
            g.gateways.remove(peer);
        }
        if (g != null && g.isEmpty()) {
            sites.remove(peer.site);
        }
        dirty.put(peer.key, null);
    }

    synchronized int expire(long olderThanMillis) {
        List<Peer> stale = new ArrayList<>();
        for (Peer p : peers.values()) {
            if (p.lastSeenMillis < olderThanMillis) {
                stale.add(p);
            }
        }
        stale.forEach(this::remove);
        return stale.size();
    }

    synchronized Stats stats() {
        int seeds = 0;
        int leechers = 0;
        for (SiteGroup g : sites.values()) {
            seeds += g.seeds.size();
            leechers += g.leechers.size();
        }
        return new Stats(seeds, leechers, completed, reportedUploaded, reportedDownloaded);
    }

    /** Seeds and leechers per site, for the swarm API. */
    synchronized Map<String, int[]> bySite() {
        Map<String, int[]> out = new HashMap<>();
        sites.forEach((name, g) -> out.put(name, new int[] {g.seeds.size(), g.leechers.size()}));
        return out;
    }

    /** Hands the changes since the last call to the persister and starts a new batch. */
    synchronized Map<String, PeerRow> drainDirty() {
        Map<String, PeerRow> rows = new HashMap<>();
        dirty.forEach((key, p) -> rows.put(key, p == null ? null : PeerRow.of(p)));
        dirty = new HashMap<>();
        return rows;
    }

    /**
     * Takes in peers another replica has seen (read back from PostgreSQL): unknown ones join,
     * known ones move on only if the other replica heard from them more recently. Not marked
     * dirty: they are already stored.
     */
    synchronized int merge(List<PeerRow> rows, long now) {
        int changed = 0;
        for (PeerRow row : rows) {
            Peer known = peers.get(row.key());
            if (known != null && known.lastSeenMillis >= row.lastSeenMillis()) {
                continue;
            }
            if (known != null) {
                known.list.remove(known);
                untrack(known);
                SiteGroup g = sites.get(known.site);
                if (g != null) {
                    g.gateways.remove(known); // elected again at its next announce here, if a slot is free
                }
            }
            add(row, now);
            changed++;
        }
        return changed;
    }

    /**
     * Restores persisted state after a restart. The scheduled sync may have merged some of the
     * same rows already (it can run before the startup observer), so rows go through
     * {@link #merge}: a peer is never listed twice.
     */
    synchronized void restore(List<PeerRow> rows, Counters saved, long now) {
        merge(rows, now);
        counted(saved);
    }

    /** Hands the counter increments since the last call to the persister. */
    synchronized Counters drainCounters() {
        Counters out = unsaved;
        unsaved = Counters.ZERO;
        return out;
    }

    /** The save failed: the increments go into the next one. */
    synchronized void undrain(Counters notSaved) {
        unsaved = unsaved.plus(notSaved);
    }

    /**
     * The totals PostgreSQL holds (every replica's saved increments), read after this replica's
     * own save; what it counted since is added on top.
     */
    synchronized void counted(Counters saved) {
        completed = saved.completed() + unsaved.completed();
        reportedUploaded = saved.uploaded() + unsaved.uploaded();
        reportedDownloaded = saved.downloaded() + unsaved.downloaded();
    }

    private void add(PeerRow row, long now) {
        Peer p = new Peer(row.key(), row.peerId(), row.passkeyId());
        p.ip = row.ip();
        p.port = row.port();
        p.uploaded = row.uploaded();
        p.downloaded = row.downloaded();
        p.left = row.left();
        p.site = row.site();
        p.lastSeenMillis = row.lastSeenMillis();
        p.countedComplete = row.countedComplete();
        track(p);
        byEndpoint.put(endpoint(p.passkeyId, p.ip, p.port), p);
        sites.computeIfAbsent(p.site, s -> new SiteGroup(s, now)).listFor(p).add(p);
    }

    /** A peer as stored in PostgreSQL. */
    record PeerRow(String key, byte[] peerId, long passkeyId, byte[] ip, int port, long uploaded, long downloaded,
            long left, String site, long lastSeenMillis, boolean countedComplete) {

        static PeerRow of(Peer p) {
            return new PeerRow(p.key, p.peerId, p.passkeyId, p.ip, p.port, p.uploaded, p.downloaded, p.left, p.site,
                    p.lastSeenMillis, p.countedComplete);
        }
    }
}
