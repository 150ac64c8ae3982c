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
                site = excluded.site, last_seen = excluded.last_seen, counted_complete = excluded.counted_complete""";
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
    /** Rows seen up to here have been merged; each cycle reads only what changed since. */
    private volatile long syncedUpTo = System.currentTimeMillis();

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
                List<Swarm.PeerRow> rows = peers(c, hash, cutoff);
                swarm.restore(rows, counters.getOrDefault(hash, Swarm.Counters.ZERO), now);
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
        long since = syncedUpTo - config.persistEvery().toMillis(); // overlap: a slow writer's rows are not skipped
        int merged = 0;
        try (Connection c = db.getConnection()) {
            Map<String, Swarm.Counters> counters = counters(c);
            for (Swarm swarm : tracker.swarms()) {
                String hash = HexFormat.of().formatHex(swarm.torrent.infoHashV1());
                merged += swarm.merge(peers(c, hash, Math.max(since, now - config.peerTtl().toMillis())), now);
                Swarm.Counters saved = counters.get(hash);
                if (saved != null) {
                    swarm.counted(saved);
                }
            }
            syncedUpTo = now;
        } catch (SQLException ex) {
            LOG.warnf("Reading other replicas' swarm state failed: %s", ex.getMessage());
        }
        return merged;
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

    private static List<Swarm.PeerRow> peers(Connection c, String hash, long cutoff) throws SQLException {
        List<Swarm.PeerRow> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("""
                select passkey_id, peer_id, ip, port, uploaded, downloaded, left_bytes, site, last_seen, counted_complete
                from tracker_peer where info_hash_v1 = ? and last_seen >= ?""")) {
            s.setString(1, hash);
            s.setTimestamp(2, new Timestamp(cutoff));
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
