package io.starling.controlplane.tracker;

import static io.starling.controlplane.testing.Api.as;
import static io.starling.controlplane.tracker.TrackerTest.announce;
import static io.starling.controlplane.tracker.TrackerTest.ports;
import static io.starling.controlplane.tracker.TrackerTest.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.starling.controlplane.testing.Api;
import io.starling.controlplane.testing.Tokens;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What one replica shares with the others through PostgreSQL, with the other replica played by
 * rows written straight into the shared tables (ReplicasIT runs two real ones).
 */
@QuarkusTest
class ReplicaSharingTest {

    @Inject
    AgroalDataSource db;

    @Inject
    OriginPeers origins;

    @Inject
    SwarmStore store;

    @Inject
    Tracker tracker;

    private byte[] v1;
    private String passkey;

    @BeforeEach
    void publish() {
        v1 = HexFormat.of().parseHex(Api.publishedArtifact("replicated", 50_000));
        passkey = as(Tokens.admin()).contentType("application/json").body(Map.of("owner", "replica-test"))
                .post("/api/v1/passkeys").then().statusCode(201).extract().path("passkey");
    }

    @Test
    void aLeecherIsHandedTheOriginSeederOfEveryLiveReplicaButNotOfADeadOne() throws Exception {
        execute("delete from control_plane_replica where replica_id like 'other-%'");
        execute("insert into control_plane_replica values ('other-live', '127.0.0.9:47001', now(), '127.0.0.9:47011')");
        execute("insert into control_plane_replica values ('other-dead', '127.0.0.9:47002', now() - interval '1 minute',"
                + " '127.0.0.9:47012')");
        origins.refresh();

        byte[] peers = (byte[]) announce(passkey, query(v1, "leecher", 47100, 50_000, "started")).get("peers");

        // The release is an SSL torrent (the default): origins are handed out at their TLS ports.
        assertThat(ports(peers)).as("the other live replica's origin, not the dead one's").contains(47011)
                .doesNotContain(47012, 47001, 47002);
        assertThat(tracker.originPeers()).contains("127.0.0.9:47001", "127.0.0.9:47011").doesNotContain("127.0.0.9:47002");
        if (tracker.originPeer().isPresent()) {
            assertThat(tracker.originPeers().get(0)).as("this replica's own origin, first").isEqualTo(tracker.originPeer().get());
            PeerAddress own = origins.own();
            assertThat(ports(peers)).as("this replica's own origin too")
                    .contains(origins.sslOf(own).map(PeerAddress::port).orElse(own.port()));
        }
        execute("delete from control_plane_replica where replica_id like 'other-%'");
        origins.refresh();
        assertThat(tracker.originPeers()).doesNotContain("127.0.0.9:47001");
    }

    @Test
    void peersAnotherReplicaStoredBeforeThisOneKnewTheSwarmAreHandedOut() throws Exception {
        // As for a release published through another replica: its peers were stored before this
        // replica's torrent refresh created the swarm, so they are older than the last sync.
        tracker.swarm(HexFormat.of().formatHex(v1)).loaded = false;
        execute("insert into tracker_peer (info_hash_v1, passkey_id, peer_id, ip, port, uploaded, downloaded, left_bytes,"
                + " site, last_seen, counted_complete) values ('" + HexFormat.of().formatHex(v1) + "', 434343,"
                + " decode('2d5249303030312d6561726c792d70656572', 'hex'), decode('7f000001', 'hex'), 47301, 0, 0, 10, '',"
                + " now() - interval '30 seconds', false)");

        store.sync();

        byte[] peers = (byte[]) announce(passkey, query(v1, "asker", 47302, 50_000, "started")).get("peers");
        assertThat(ports(peers)).contains(47301);
    }

    @Test
    void completionsCountedOnTwoReplicasAddUpInsteadOfOverwritingEachOther() throws Exception {
        store.sync();
        long before = completed();
        // Another replica saved three completions of this swarm.
        execute("insert into tracker_swarm (info_hash_v1, completed, reported_uploaded, reported_downloaded, updated_at)"
                + " values ('" + HexFormat.of().formatHex(v1) + "', 3, 0, 0, now()) on conflict (info_hash_v1)"
                + " do update set completed = tracker_swarm.completed + 3");
        // This one sees one.
        announce(passkey, query(v1, "finisher", 47200, 0, "completed"));

        store.persist();
        store.sync();

        assertThat(completed()).isEqualTo(before + 4);
    }

    private long completed() {
        return tracker.swarm(HexFormat.of().formatHex(v1)).stats().completed();
    }

    private void execute(String sql) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.executeUpdate();
        }
    }
}
