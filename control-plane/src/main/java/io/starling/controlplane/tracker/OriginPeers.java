package io.starling.controlplane.tracker;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.starling.controlplane.seed.OriginSeeder;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The origin seeders of every live control-plane replica. Each replica seeds every published
 * artifact from the shared blob store, writes its seeder's address to PostgreSQL every few
 * seconds, and reads the others' back: whichever replica answers an announce or a check-in lists
 * them all, so a swarm keeps a complete source while any replica lives, and the origins share the
 * load. A replica that stops deletes its row; one that dies drops out once its row is older than
 * {@link #LIVE_FOR_CYCLES} cycles. Announces read only the list in memory.
 */
@ApplicationScoped
public class OriginPeers {

    private static final Logger LOG = Logger.getLogger(OriginPeers.class);
    /** A replica that missed this many heartbeats in a row is taken for dead. */
    static final int LIVE_FOR_CYCLES = 3;

    private final AgroalDataSource db;
    private final TrackerConfig config;
    private final Supplier<PeerAddress> own;
    /** This replica's seeder's TLS address for SSL torrents; null when configured by hand or off. */
    private final Supplier<PeerAddress> ownSsl;
    private final String replicaId;
    /** Every live replica's origin, this one's first; this one's alone until the first read. */
    private volatile List<Origin> live;

    /** One replica's origin seeder: its plain address and its TLS address for SSL torrents (null: it names none). */
    private record Origin(PeerAddress plain, PeerAddress tls) {
    }

    OriginPeers(AgroalDataSource db, TrackerConfig config, OriginSeeder seeder) {
        this.db = db;
        this.config = config;
        this.own = own(config, seeder);
        this.ownSsl = config.originPeer().isPresent() ? () -> null
                : () -> seeder.advertisedSslAddress().map(OriginPeers::peerOf).orElse(null);
        this.replicaId = hostName() + "-" + UUID.randomUUID();
        PeerAddress mine = own.get();
        this.live = mine == null ? List.of() : List.of(new Origin(mine, ownSsl.get()));
    }

    private static PeerAddress peerOf(java.net.InetSocketAddress a) {
        return new PeerAddress(Addresses.fold(a.getAddress().getAddress()), a.getPort(), null);
    }

    private static Supplier<PeerAddress> own(TrackerConfig config, OriginSeeder seeder) {
        if (config.originPeer().isPresent()) {
            String configured = config.originPeer().get().trim();
            PeerAddress fixed = configured.isEmpty() || configured.equals("none") ? null : Addresses.hostPort(configured);
            return () -> fixed;
        }
        return () -> seeder.advertisedAddress().map(OriginPeers::peerOf).orElse(null);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "replica";
        }
    }

    /** This replica's origin seeder as peers reach it; null when it lists none. */
    PeerAddress own() {
        return own.get();
    }

    /** Every live replica's origin seeder; read on the event loop, so never touches the database. */
    List<PeerAddress> all() {
        return live.stream().map(Origin::plain).toList();
    }

    /** Every live origin's TLS address for SSL torrents. */
    List<PeerAddress> allSsl() {
        return live.stream().map(o -> sslOf(o.plain())).flatMap(Optional::stream).toList();
    }

    /** The TLS address of the origin seeder listed at {@code plain}, if it named one. */
    Optional<PeerAddress> sslOf(PeerAddress plain) {
        // This replica's own, read live: its seeder may have started after the last refresh.
        if (sameAddress(plain, own.get())) {
            return Optional.ofNullable(ownSsl.get());
        }
        return live.stream().filter(o -> sameAddress(plain, o.plain())).findFirst().map(Origin::tls);
    }

    boolean isOrigin(PeerAddress p) {
        return live.stream().anyMatch(o -> sameAddress(p, o.plain()));
    }

    String replicaId() {
        return replicaId;
    }

    /** Heartbeat, then read the others: one short transaction per cycle, the same beat as the swarm store. */
    @Scheduled(every = "${starling.tracker.persist-every:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        PeerAddress mine = own.get();
        PeerAddress mineSsl = ownSsl.get();
        try (Connection c = db.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("""
                    insert into control_plane_replica (replica_id, origin_peer, origin_ssl_peer, last_seen) values (?, ?, ?, now())
                    on conflict (replica_id) do update set origin_peer = excluded.origin_peer,
                    origin_ssl_peer = excluded.origin_ssl_peer, last_seen = now()""")) {
                s.setString(1, replicaId);
                s.setString(2, mine == null ? null : text(mine));
                s.setString(3, mine == null || mineSsl == null ? null : text(mineSsl));
                s.executeUpdate();
            }
            List<Origin> found = new ArrayList<>();
            if (mine != null) {
                found.add(new Origin(mine, mineSsl));
            }
            long liveForMillis = config.persistEvery().toMillis() * LIVE_FOR_CYCLES;
            try (PreparedStatement s = c.prepareStatement("""
                    select origin_peer, origin_ssl_peer from control_plane_replica where replica_id <> ? and origin_peer is not null
                    and last_seen > now() - ? * interval '1 millisecond' order by replica_id""")) {
                s.setString(1, replicaId);
                s.setLong(2, liveForMillis);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        PeerAddress other = parse(r.getString(1));
                        if (other != null && !sameAddress(other, mine)) {
                            String otherSsl = r.getString(2);
                            found.add(new Origin(other, otherSsl == null ? null : parse(otherSsl)));
                        }
                    }
                }
            }
            // Rows of replicas gone for an hour are only noise.
            try (PreparedStatement s = c.prepareStatement(
                    "delete from control_plane_replica where last_seen < now() - interval '1 hour'")) {
                s.executeUpdate();
            }
            live = List.copyOf(found);
        } catch (SQLException e) {
            // Keep the last list: a database hiccup must not take the other origins out of every answer.
            LOG.warnf("Cannot share this replica's origin seeder or read the others': %s", e.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("delete from control_plane_replica where replica_id = ?")) {
            s.setString(1, replicaId);
            s.executeUpdate();
        } catch (SQLException e) {
            LOG.debugf("Cannot remove this replica's row; it expires by itself: %s", e.getMessage());
        }
    }

    static String text(PeerAddress p) {
        String host = Addresses.toText(p.ip());
        return (p.ip().length == 16 ? "[" + host + "]" : host) + ":" + p.port();
    }

    private static PeerAddress parse(String hostPort) {
        try {
            return Addresses.hostPort(hostPort.startsWith("[") ? hostPort.replace("[", "").replace("]", "") : hostPort);
        } catch (IllegalArgumentException e) {
            LOG.warnf("Ignoring another replica's origin peer '%s': %s", hostPort, e.getMessage());
            return null;
        }
    }

    private static boolean sameAddress(PeerAddress a, PeerAddress b) {
        return b != null && a.port() == b.port() && java.util.Arrays.equals(a.ip(), b.ip());
    }
}
