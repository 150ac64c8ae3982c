package io.starling.controlplane.tracker;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Writes swarm state to PostgreSQL behind the in-memory tracker (every few seconds, in batches)
 * and reads it back at start, so a restarted control plane still knows who holds what. Plain
 * JDBC batches: thousands of peer rows per cycle is no work for Hibernate's unit of work.
 */
@ApplicationScoped
public class SwarmStore {

    private static final Logger LOG = Logger.getLogger(SwarmStore.class);

    private static final String UPSERT_PEER = """
            insert into tracker_peer (info_hash_v1, passkey_id, peer_id, ip, port, uploaded, downloaded, left_bytes,
                                      site, last_seen, counted_complete)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (info_hash_v1, passkey_id, peer_id) do update set ip = excluded.ip, port = excluded.port,
                uploaded = excluded.uploaded, downloaded = excluded.downloaded, left_bytes = excluded.left_bytes,
                site = excluded.site, last_seen = excluded.last_seen, counted_complete = excluded.counted_complete,
                written_at = now()""";
    private static final String DELETE_PEER =
            "delete from tracker_peer where info_hash_v1 = ? and passkey_id = ? and peer_id = ?";
    private static final String UPSERT_SWARM = """
            insert into tracker_swarm (info_hash_v1, completed, reported_uploaded, reported_downloaded, updated_at)
            values (?, ?, ?, ?, now())
            on conflict (info_hash_v1) do update set completed = tracker_swarm.completed + excluded.completed,
                reported_uploaded = tracker_swarm.reported_uploaded + excluded.reported_uploaded,
                reported_downloaded = tracker_swarm.reported_downloaded + excluded.reported_downloaded,
                updated_at = excluded.updated_at""";

    private final AgroalDataSource db;
    private final Tracker tracker;
    private final TrackerConfig config;
    /**
     * The database's clock when the last sync read: each sync reads the rows written since then,
     * less {@link #OVERLAP}, so a save whose transaction was still open at that read is not missed.
     * Null until the first sync.
     */
    private volatile Timestamp syncedAt;
    /** Longer than any save transaction; rows read twice are merged once (the newer announce wins). */
    static final long OVERLAP_MILLIS = 10_000;

    SwarmStore(AgroalDataSource db, Tracker tracker, TrackerConfig config) {
        this.db = db;
        this.tracker = tracker;
        this.config = config;
    }

    void onStart(@Observes StartupEvent e) {
        long now = System.currentTimeMillis();
        long cutoff = now - config.peerTtl().toMillis();
        int restored = 0;
        try (Connection c = db.getConnection()) {
            Map<String, Swarm.Counters> counters = counters(c);
            for (Swarm swarm : tracker.swarms()) {
                String hash = HexFormat.of().formatHex(swarm.torrent.infoHashV1());
                List<Swarm.PeerRow> rows = peers(c, hash, cutoff, null);
                swarm.restore(rows, counters.getOrDefault(hash, Swarm.Counters.ZERO), now);
                swarm.loaded = true;
                restored += rows.size();
            }
        } catch (SQLException ex) {
            LOG.errorf(ex, "Cannot restore swarm state; the tracker starts with empty swarms");
        }
        LOG.infof("Restored %d peers across %d swarms", restored, tracker.swarms().size());
    }

    void onStop(@Observes ShutdownEvent e) {
        persist();
    }

    /** Each cycle writes this replica's changes, then reads the other replicas' ones. */
    @Scheduled(every = "${starling.tracker.persist-every:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void cycle() {
        persist();
        sync();
    }

    /**
     * Merges peers that other control-plane replicas wrote since the last sync, so that a peer
     * hears of the whole swarm whichever replica answers it (a few seconds behind).
     */
    int sync() {
        long now = System.currentTimeMillis();
        long ttlCutoff = now - config.peerTtl().toMillis();
        int merged = 0;
        try (Connection c = db.getConnection()) {
            Timestamp readAt = dbNow(c);
            Timestamp since = syncedAt == null ? null : new Timestamp(syncedAt.getTime() - OVERLAP_MILLIS);
            Map<String, Swarm.Counters> counters = counters(c);
            for (Swarm swarm : tracker.swarms()) {
                String hash = HexFormat.of().formatHex(swarm.torrent.infoHashV1());
                // A swarm new to this replica (a release another replica published) reads every live
                // peer once: its rows may have been written before the last sync.
                merged += swarm.merge(peers(c, hash, ttlCutoff, swarm.loaded ? since : null), now);
                swarm.loaded = true;
                Swarm.Counters saved = counters.get(hash);
                if (saved != null) {
                    swarm.counted(saved);
                }
            }
            syncedAt = readAt;
        } catch (SQLException ex) {
            LOG.warnf("Reading other replicas' swarm state failed: %s", ex.getMessage());
        }
        return merged;
    }

    private static Timestamp dbNow(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select now()"); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getTimestamp(1);
        }
    }

    void persist() {
        Map<Swarm, Swarm.Counters> drained = new HashMap<>();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement upsert = c.prepareStatement(UPSERT_PEER);
                    PreparedStatement delete = c.prepareStatement(DELETE_PEER);
                    PreparedStatement swarmRow = c.prepareStatement(UPSERT_SWARM)) {
                for (Swarm swarm : tracker.swarms()) {
                    Map<String, Swarm.PeerRow> changes = swarm.drainDirty();
                    Swarm.Counters added = swarm.drainCounters();
                    if (changes.isEmpty() && added.isZero()) {
                        continue;
                    }
                    drained.put(swarm, added);
                    String hash = HexFormat.of().formatHex(swarm.torrent.infoHashV1());
                    for (Map.Entry<String, Swarm.PeerRow> change : changes.entrySet()) {
                        if (change.getValue() == null) {
                            String key = change.getKey();
                            int colon = key.indexOf(':');
                            delete.setString(1, hash);
                            delete.setLong(2, Long.parseLong(key.substring(0, colon)));
                            delete.setBytes(3, key.substring(colon + 1).getBytes(StandardCharsets.ISO_8859_1));
                            delete.addBatch();
                        } else {
                            bind(upsert, hash, change.getValue());
                            upsert.addBatch();
                        }
                    }
                    swarmRow.setString(1, hash);
                    swarmRow.setLong(2, added.completed());
                    swarmRow.setLong(3, added.uploaded());
                    swarmRow.setLong(4, added.downloaded());
                    swarmRow.addBatch();
                }
                upsert.executeBatch();
                delete.executeBatch();
                swarmRow.executeBatch();
                c.commit();
            } catch (SQLException ex) {
                c.rollback();
                throw ex;
            }
        } catch (SQLException ex) {
            // The next announces mark the peers dirty again; the counters' increments go into the next save.
            drained.forEach(Swarm::undrain);
            LOG.warnf("Saving swarm state failed: %s", ex.getMessage());
        }
    }

    private static void bind(PreparedStatement s, String hash, Swarm.PeerRow p) throws SQLException {
        s.setString(1, hash);
        s.setLong(2, p.passkeyId());
        s.setBytes(3, p.peerId());
        s.setBytes(4, p.ip());
        s.setInt(5, p.port());
        s.setLong(6, p.uploaded());
        s.setLong(7, p.downloaded());
        s.setLong(8, p.left());
        s.setString(9, p.site());
        s.setTimestamp(10, new Timestamp(p.lastSeenMillis()));
        s.setBoolean(11, p.countedComplete());
    }

    /** Live peers of a swarm; with {@code writtenSince}, only rows written since then. */
    private static List<Swarm.PeerRow> peers(Connection c, String hash, long cutoff, Timestamp writtenSince)
            throws SQLException {
        List<Swarm.PeerRow> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                select passkey_id, peer_id, ip, port, uploaded, downloaded, left_bytes, site, last_seen, counted_complete
                from tracker_peer where info_hash_v1 = ? and last_seen >= ? and written_at >= ?""")) {
            s.setString(1, hash);
            s.setTimestamp(2, new Timestamp(cutoff));
            s.setTimestamp(3, writtenSince == null ? new Timestamp(0) : writtenSince);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    long passkeyId = r.getLong(1);
                    byte[] peerId = r.getBytes(2);
                    rows.add(new Swarm.PeerRow(passkeyId + ":" + new String(peerId, StandardCharsets.ISO_8859_1), peerId,
                            passkeyId, r.getBytes(3), r.getInt(4), r.getLong(5), r.getLong(6), r.getLong(7),
                            r.getString(8), r.getTimestamp(9).getTime(), r.getBoolean(10)));
                }
            }
        }
        return rows;
    }

    /** Every swarm's totals, all replicas' increments summed, by info-hash. */
    private static Map<String, Swarm.Counters> counters(Connection c) throws SQLException {
        Map<String, Swarm.Counters> out = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(
                "select info_hash_v1, completed, reported_uploaded, reported_downloaded from tracker_swarm");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.put(r.getString(1), new Swarm.Counters(r.getLong(2), r.getLong(3), r.getLong(4)));
            }
        }
        return out;
    }
}
