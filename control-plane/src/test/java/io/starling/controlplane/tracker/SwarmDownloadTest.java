package io.starling.controlplane.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.starling.controlplane.seed.OriginSeeder;
import io.starling.controlplane.testing.PlainTorrents;
import io.starling.controlplane.testing.PublishedArtifact;
import io.starling.protocol.testing.TorrentClient;
import io.starling.protocol.testing.TorrentClient.Drop;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Real libtorrent clients that find each other and the origin seeder only through our tracker.
 * Plain torrents, as a fleet with stock clients publishes them: SSL torrents between peers with
 * certificates are SslSwarmTest's and AgentsIT's.
 */
@QuarkusTest
@TestProfile(PlainTorrents.class)
class SwarmDownloadTest {

    @Inject
    OriginSeeder seeder;

    @Inject
    Tracker tracker;

    @Test
    void aClientHoldingOnlyTheApiTorrentDownloadsFromTheOriginThroughTheTracker() throws Exception {
        int size = 4 << 20;
        PublishedArtifact p = publish("via-tracker", size);
        try (TorrentClient client = TorrentClient.onLoopback()) {
            TorrentClient.Download d = client.add(p.torrent(), Drop.WEB_SEEDS); // the tracker is its only lead
            d.awaitCompletion(Duration.ofSeconds(30));
            assertThat(d.sha256()).isEqualTo(p.sha256());
            assertThat(d.bytesFromWebSeeds()).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> seeder.uploadedBytes(p.infoHash()) >= size);
        }
    }

    @Test
    void threeClientsWithACappedOriginTradePiecesSoPeersServeMoreThanTheOrigin() throws Exception {
        int size = 4 << 20;
        PublishedArtifact p = publish("trading", size);
        int before = seeder.uploadRateLimit();
        boolean superSeeding = seeder.superSeeding();
        int gateways = tracker.siteGateways();
        // 256 KiB/s: one copy takes the origin 16 s, while peers pass a piece on in milliseconds.
        // Super-seeding keeps the origin from sending a piece twice before peers have passed it on.
        // It needs every leecher to reach the origin (it learns that a piece was passed on from the
        // HAVEs of the others), so no site gateways here: with one gateway the origin sees only it.
        seeder.uploadRateLimit(256 << 10);
        seeder.superSeeding(true);
        tracker.siteGateways(0);
        List<TorrentClient> clients = new ArrayList<>();
        try {
            List<TorrentClient.Download> downloads = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                TorrentClient c = TorrentClient.onLoopback();
                clients.add(c);
                downloads.add(c.add(p.torrent(), Drop.WEB_SEEDS));
            }
            for (TorrentClient.Download d : downloads) {
                d.awaitCompletion(Duration.ofSeconds(90));
                assertThat(d.sha256()).isEqualTo(p.sha256());
            }
            long origin = seeder.uploadedBytes(p.infoHash());
            long total = 3L * size;
            long peerToPeer = total - origin;
            System.out.printf("3 clients x %d bytes: origin sent %d, peers traded %d%n", size, origin, peerToPeer);
            assertThat(peerToPeer).as("bytes peers sent each other").isGreaterThan(origin);
        } finally {
            seeder.uploadRateLimit(before);
            seeder.superSeeding(superSeeding);
            tracker.siteGateways(gateways);
            for (TorrentClient c : clients) {
                c.close();
            }
        }
    }

    /** Publishes one artifact through the API and waits until the origin seeds it. */
    private PublishedArtifact publish(String prefix, int size) {
        PublishedArtifact p = PublishedArtifact.publish(prefix, size);
        await().atMost(Duration.ofSeconds(10)).until(() -> seeder.isSeeding(p.infoHash()));
        return p;
    }
}
