package io.starling.controlplane.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.starling.protocol.testing.Corrupt;
import io.starling.protocol.testing.TestBytes;
import io.starling.protocol.testing.TestTorrent;
import io.starling.protocol.testing.TorrentClient;
import io.starling.protocol.torrent.PieceLength;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The origin seeder's libtorrent session outside Quarkus: what needs a restart, a corrupted
 * blob or a second session, and so no shared application.
 */
class OriginSessionTest {

    @TempDir
    Path home;

    @Test
    void theSeederRestartsFromResumeDataWithoutRehashing() throws Exception {
        List<OriginArtifact> artifacts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            artifacts.add(artifact("tool-" + i + ".bin", 1 << 20));
        }
        OriginArtifact first = artifacts.get(0);
        try (OriginSession seeder = OriginSession.start(options(), new OriginSession.Events() { })) {
            assertThat(seeder.seed(() -> artifacts).get(30, TimeUnit.SECONDS)).isEqualTo(artifacts.size());
            download(seeder, first);
            await().atMost(Duration.ofSeconds(10)).until(() -> seeder.uploadedBytes(first.infoHashV1()) >= first.size());
            // libtorrent folds the running counter into the all-time one on its next tick.
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> seeder.status(first.infoHashV1()).orElseThrow().allTimeUpload() >= first.size());
        }
        for (OriginArtifact a : artifacts) {
            assertThat(home.resolve("resume").resolve(a.infoHashV1() + ".resume")).isRegularFile();
        }

        try (OriginSession seeder = OriginSession.start(options(), new OriginSession.Events() { })) {
            long started = System.nanoTime();
            assertThat(seeder.seed(() -> artifacts).get(30, TimeUnit.SECONDS)).isEqualTo(artifacts.size());
            await().atMost(Duration.ofSeconds(10)).until(() -> artifacts.stream()
                    .allMatch(a -> seeder.status(a.infoHashV1()).map(OriginSession.Status::seeding).orElse(false)));
            long millis = (System.nanoTime() - started) / 1_000_000;
            System.out.printf("Re-added %d torrents from resume data, all seeding, in %d ms%n", artifacts.size(), millis);

            for (OriginArtifact a : artifacts) {
                OriginSession.Status st = seeder.status(a.infoHashV1()).orElseThrow();
                assertThat(st.fullChecks()).as("full checks of %s", a).isZero();
                assertThat(st.uploadMode()).isTrue();
            }
            // Only resume data carries the first run's upload counter into this one.
            assertThat(seeder.status(first.infoHashV1()).orElseThrow().allTimeUpload()).isGreaterThanOrEqualTo(first.size());
            assertThat(seeder.uploadedBytes(first.infoHashV1())).isZero();
            download(seeder, artifacts.get(7));
        }
    }

    @Test
    void aBlobThatChangesIsNoLongerSeeded() throws Exception {
        OriginArtifact a = artifact("changes.bin", 3 << 20);
        List<OriginArtifact> reported = new CopyOnWriteArrayList<>(); // written by the seeder's worker
        try (OriginSession seeder = OriginSession.start(options(), new OriginSession.Events() {
            @Override
            public synchronized void corrupt(OriginArtifact artifact) {
                reported.add(artifact);
            }
        })) {
            assertThat(seeder.seed(a).get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(seeder.verify().get(30, TimeUnit.SECONDS).corrupt()).isEmpty();

            Corrupt.byteAt(a.blob(), a.size() / 2);
            OriginSession.Verification v = seeder.verify().get(30, TimeUnit.SECONDS);

            assertThat(v.corrupt()).containsExactly(a);
            // Quarantine runs on the seeder's worker: forget, drop, delete files, then report.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(seeder.isSeeding(a.infoHashV1())).isFalse();
                assertThat(reported).containsExactly(a);
                assertThat(home.resolve("resume").resolve(a.infoHashV1() + ".resume")).doesNotExist();
                assertThat(home.resolve("data").resolve(a.infoHashV1())).doesNotExist();
            });
            assertThat(a.blob()).isRegularFile(); // evidence for the operator; the blob store owns it
            assertThat(seeder.seed(a).get(10, TimeUnit.SECONDS)).isFalse();
        }
    }

    @Test
    void theScheduledPassReadsBlobsFromBeforeTheStartAndNotThoseUploadedSinceWhichWereHashedAsTheyArrived()
            throws Exception {
        OriginArtifact old = artifact("old.bin", 1 << 20);
        OriginSession.Options daily = new OriginSession.Options("127.0.0.1:0", Optional.empty(), 0,
                home.resolve("resume"), home.resolve("data"), Duration.ofDays(1), 0, false, null);
        try (OriginSession seeder = OriginSession.start(daily, new OriginSession.Events() { })) {
            OriginArtifact fresh = withHashedAt(artifact("fresh.bin", 2 << 20), Instant.now());
            assertThat(seeder.seed(() -> List.of(old, fresh)).get(30, TimeUnit.SECONDS)).isEqualTo(2);

            OriginSession.Verification first = seeder.scheduledPass();
            assertThat(first.checked()).as("only the blob that lay on disk unwatched").isEqualTo(1);
            assertThat(first.bytes()).isEqualTo(old.size());

            // A blob uploaded now but corrupted before the pass still waits for its interval; the
            // on-demand check reads everything.
            Corrupt.byteAt(fresh.blob(), 10);
            assertThat(seeder.verify().get(30, TimeUnit.SECONDS).corrupt()).containsExactly(fresh);
        }
    }

    private static OriginArtifact withHashedAt(OriginArtifact a, Instant hashedAt) {
        return new OriginArtifact(a.infoHashV1(), a.name(), a.size(), a.sha256(), a.torrent(), a.blob(), hashedAt);
    }

    @Test
    void aCorruptPieceIsNeverSent() throws Exception {
        OriginArtifact a = artifact("bad-piece.bin", 2 << 20);
        Corrupt.byteAt(a.blob(), 5);
        try (OriginSession seeder = OriginSession.start(options(), new OriginSession.Events() { });
             TorrentClient client = TorrentClient.onLoopback()) {
            assertThat(seeder.seed(a).get(10, TimeUnit.SECONDS)).isTrue();
            TorrentClient.Download d = client.add(a.torrent()).connectPeer(loopback(seeder));

            // Seed mode checks piece 0 before sending it, fails, rechecks the whole file; the
            // recheck sends the seeder to the blob, which no longer matches: it stops seeding.
            await().atMost(Duration.ofSeconds(20)).until(() -> !seeder.isSeeding(a.infoHashV1()));
            assertThat(d.hashFailures()).isZero();
            assertThat(d.isComplete()).isFalse();
        }
    }

    @Test
    void listeningOnABusyPortFailsWithAClearMessage() {
        try (OriginSession first = OriginSession.start(options(), new OriginSession.Events() { })) {
            OriginSession.Options busy = new OriginSession.Options("127.0.0.1:" + first.listenPort(), Optional.empty(), 0,
                    home.resolve("resume2"), home.resolve("data2"), Duration.ZERO, 0, false, null);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> OriginSession.start(busy, new OriginSession.Events() { }))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + first.listenPort());
        }
    }

    @Test
    void theListenAddressIsCheckedBeforeAnythingStarts() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OriginSession.HostPort.parse("6881", "k"))
                .hasMessageContaining("k must be address:port");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OriginSession.HostPort.parse("::1:6881", "k"))
                .hasMessageContaining("brackets");
        assertThat(OriginSession.HostPort.parse("[::1]:6881", "k")).isEqualTo(new OriginSession.HostPort("::1", 6881));
        assertThat(OriginSession.HostPort.parse("10.0.0.5:0", "k").toString()).isEqualTo("10.0.0.5:0");
    }

    @Test
    void aCatchUpReadsOnlyTheArtifactsNotSeededYetAndDropsThoseNoLongerWanted() throws Exception {
        OriginArtifact kept = artifact("kept.bin", 64 << 10);
        OriginArtifact dropped = artifact("dropped.bin", 64 << 10);
        OriginArtifact added = artifact("added.bin", 64 << 10);
        Map<String, OriginArtifact> catalogue = Map.of(kept.infoHashV1(), kept, dropped.infoHashV1(), dropped,
                added.infoHashV1(), added);
        List<Set<String>> loads = new CopyOnWriteArrayList<>();
        java.util.function.Function<Set<String>, List<OriginArtifact>> load = ihs -> {
            loads.add(ihs);
            return ihs.stream().map(catalogue::get).toList();
        };
        try (OriginSession seeder = OriginSession.start(options(), new OriginSession.Events() { })) {
            seeder.seed(() -> List.of(kept, dropped)).get(30, TimeUnit.SECONDS);

            int changes = seeder.seedExactly(() -> Set.of(kept.infoHashV1(), added.infoHashV1()), load)
                    .get(30, TimeUnit.SECONDS);

            assertThat(changes).isEqualTo(2);
            assertThat(seeder.seeded()).containsExactlyInAnyOrder(kept.infoHashV1(), added.infoHashV1());
            assertThat(loads).as("only what was not seeded is read").containsExactly(Set.of(added.infoHashV1()));

            assertThat(seeder.seedExactly(() -> Set.of(kept.infoHashV1(), added.infoHashV1()), load)
                    .get(30, TimeUnit.SECONDS)).isZero();
            assertThat(loads).as("nothing is read when everything is seeded").hasSize(1);
        }
    }

    private OriginSession.Options options() {
        return new OriginSession.Options("127.0.0.1:0", Optional.empty(), 0, home.resolve("resume"), home.resolve("data"),
                Duration.ZERO, 0, false, null);
    }

    private static java.net.InetSocketAddress loopback(OriginSession seeder) {
        return new java.net.InetSocketAddress("127.0.0.1", seeder.listenPort());
    }

    private static void download(OriginSession seeder, OriginArtifact a) throws Exception {
        try (TorrentClient client = TorrentClient.onLoopback()) {
            TorrentClient.Download d = client.add(a.torrent()).connectPeer(loopback(seeder));
            d.awaitCompletion(Duration.ofSeconds(20));
            assertThat(d.sha256()).isEqualTo(a.sha256());
        }
    }

    /** An artifact as publishing makes it: random bytes in a blob, a hybrid private torrent without tracker. */
    private OriginArtifact artifact(String name, int size) throws IOException {
        TestTorrent t = TestTorrent.of(name, TestBytes.random(size)).pieceLength(PieceLength.choose(size)).announce(null)
                .build();
        Path blob = home.resolve("blobs").resolve(t.sha256());
        Files.createDirectories(blob.getParent());
        Files.write(blob, t.data());
        return new OriginArtifact(t.infoHashV1(), name, size, t.sha256(), t.torrent(), blob);
    }
}
