package io.starling.agent.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.PeerSources;
import io.starling.protocol.testing.Corrupt;
import io.starling.protocol.testing.Sha256;
import io.starling.protocol.testing.TestBytes;
import io.starling.protocol.testing.TestTorrent;
import io.starling.protocol.torrent.PieceLength;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real libtorrent sessions on loopback, without a tracker (the torrents name one that refuses
 * connections): peers meet through {@link SwarmDownload#connectPeer}.
 */
class AgentSwarmTest {

    private static final int MIB = 1024 * 1024;
    private static final int PIECE = PieceLength.MIN;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final PeerSources LOOPBACK_SITE = new PeerSources(List.of("127.0.0.0/8"), List.of());

    @TempDir
    Path dir;

    private final List<AgentSwarm> open = new ArrayList<>();

    @AfterEach
    void closeSwarms() {
        // Each close takes about a second inside libtorrent4j: close them side by side.
        CompletableFuture.allOf(open.stream().map(s -> CompletableFuture.runAsync(s::close))
                .toArray(CompletableFuture[]::new)).join();
    }

    @Test
    void aRefusedLibtorrentSettingStopsTheSwarmWithoutVouchingForFilesItNeverLookedAt() throws Exception {
        Path resume = Files.createDirectories(dir.resolve("resume"));
        SwarmSettings bad = SwarmSettings.of("127.0.0.1:0", resume).withLibtorrent(Map.of("unchoke_slots", "4"));
        assertThatThrownBy(() -> AgentSwarm.open(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no setting 'unchoke_slots'");
        // No marker: the last run may have crashed, and the next start must still check the files.
        assertThat(resume.resolve(AgentSwarm.CLEAN_SHUTDOWN)).doesNotExist();
    }

    @Test
    void aLeecherDownloadsFromASeederAndTheFileMatches() throws Exception {
        TestTorrent t = torrent("app-1.0.zip", 12 * MIB);
        AgentSwarm seeder = open(loopback(dir.resolve("seeder-resume")));
        seeding(seeder, t);

        AgentSwarm sameSite = open(loopback(dir.resolve("a-resume")));
        sameSite.updatePeerSources(LOOPBACK_SITE);
        SwarmDownload a = sameSite.download(t.torrent(), dir.resolve("a"));
        a.connectPeer(address(seeder));
        awaitFinished(a);

        assertThat(Sha256.hex(a.path())).isEqualTo(t.sha256());
        assertThat(a.path()).isEqualTo(dir.resolve("a").resolve(t.name()).toAbsolutePath());
        BytesBySource fromSite = awaitCounted(a, t.size());
        assertThat(fromSite.sameSitePeers()).isBetween(t.size(), t.size() + t.pieceLength());
        assertThat(fromSite.total()).isEqualTo(fromSite.sameSitePeers());
        assertThat(sameSite.download(t.torrent(), dir.resolve("elsewhere"))).as("same info-hash").isSameAs(a);

        // The same seeder, named as the origin seeder by the check-in.
        AgentSwarm viaOrigin = open(loopback(dir.resolve("b-resume")));
        viaOrigin.updatePeerSources(new PeerSources(List.of("127.0.0.0/8"), List.of("127.0.0.1:" + seeder.listenPort())));
        SwarmDownload b = viaOrigin.download(t.torrent(), dir.resolve("b"));
        b.connectPeer(address(seeder));
        awaitFinished(b);

        assertThat(Sha256.hex(b.path())).isEqualTo(t.sha256());
        BytesBySource fromOrigin = awaitCounted(b, t.size());
        assertThat(fromOrigin.originSeeder()).isBetween(t.size(), t.size() + t.pieceLength());
        assertThat(fromOrigin.total()).isEqualTo(fromOrigin.originSeeder());

        TorrentStatus status = viaOrigin.status().get(0);
        assertThat(status.name()).isEqualTo(t.name());
        assertThat(status.infoHash()).isEqualTo(b.infoHash()).hasSize(40);
        assertThat(status.state()).isEqualTo(SwarmState.SEEDING);
        assertThat(status.progress()).isEqualTo(1.0);
        assertThat(status.bytesBySource()).isEqualTo(fromOrigin);
    }

    @Test
    void aRestartAfterACleanStopResumesWithoutDownloadingAgain() throws Exception {
        TestTorrent t = torrent("clean.bin", 12 * MIB);
        AgentSwarm seeder = open(loopback(dir.resolve("seeder-resume")));
        seeding(seeder, t);
        Path resume = dir.resolve("resume");
        Path save = dir.resolve("downloads");

        AgentSwarm first = open(loopback(resume).withDownloadRateLimit(4 * MIB));
        first.updatePeerSources(LOOPBACK_SITE);
        SwarmDownload d1 = first.download(t.torrent(), save);
        d1.connectPeer(address(seeder));
        await().atMost(TIMEOUT).until(() -> d1.progress().fraction() >= 0.5);
        closeNow(first);
        BytesBySource firstRun = d1.bytesBySource();
        assertThat(resume.resolve(AgentSwarm.CLEAN_SHUTDOWN)).exists();

        AgentSwarm second = open(loopback(resume));
        assertThat(second.previousRunEndedCleanly()).isTrue();
        assertThat(resume.resolve(AgentSwarm.CLEAN_SHUTDOWN)).doesNotExist();
        second.updatePeerSources(LOOPBACK_SITE);
        SwarmDownload d2 = second.download(t.torrent(), save, firstRun);
        // No peer yet: only the resume data can account for these bytes (libtorrent applies it
        // a moment after the add, so wait for it rather than read at once).
        await("verified bytes taken from resume data").atMost(TIMEOUT)
                .until(() -> d2.progress().bytesDone() >= t.size() / 2);
        long kept = d2.progress().bytesDone();
        d2.connectPeer(address(seeder));
        awaitFinished(d2);

        assertThat(Sha256.hex(d2.path())).isEqualTo(t.sha256());
        long secondRun = d2.bytesBySource().total() - firstRun.total();
        assertThat(secondRun).isLessThanOrEqualTo(t.size() - kept + 2L * t.pieceLength());
        assertThat(d2.bytesBySource().sameSitePeers()).as("counts continue from the first run")
                .isEqualTo(firstRun.sameSitePeers() + secondRun);
    }

    @Test
    void aRestartAfterACrashRechecksAndKeepsVerifiedPieces() throws Exception {
        TestTorrent t = torrent("crash.bin", 12 * MIB);
        AgentSwarm seeder = open(loopback(dir.resolve("seeder-resume")));
        seeding(seeder, t);
        Path resume = dir.resolve("resume");
        Path save = dir.resolve("downloads");

        // Half the file, then killed: the only resume data on disk is the one written at add time,
        // which claims no piece at all.
        AgentSwarm first = open(loopback(resume).withDownloadRateLimit(4 * MIB));
        SwarmDownload d1 = first.download(t.torrent(), save);
        d1.connectPeer(address(seeder));
        await().atMost(TIMEOUT).until(() -> d1.progress().fraction() >= 0.5);
        first.simulateCrash();

        AgentSwarm second = open(loopback(resume));
        assertThat(second.previousRunEndedCleanly()).isFalse();
        SwarmDownload d2 = second.download(t.torrent(), save);
        // No peer yet: the only way to hold half the file is a recheck that kept the pieces on
        // disk. (Waiting for "not checking" raced the check's start and read 0.)
        await("pieces verified on disk survive the recheck").atMost(TIMEOUT)
                .until(() -> d2.progress().bytesDone() >= t.size() / 2);
        long kept = d2.progress().bytesDone();
        d2.connectPeer(address(seeder));
        awaitFinished(d2);

        assertThat(Sha256.hex(d2.path())).isEqualTo(t.sha256());
        assertThat(d2.bytesBySource().total()).isLessThanOrEqualTo(t.size() - kept + 2L * t.pieceLength());

        // A finished file with one byte gone bad, then a crash: the recheck finds the piece.
        closeNow(second);
        AgentSwarm third = open(loopback(resume));
        SwarmDownload d3 = third.download(t.torrent(), save);
        awaitFinished(d3);
        third.simulateCrash();
        Corrupt.byteAt(d3.path(), 5L * t.pieceLength() + 1234);

        // A clean run that never adds the torrent does not make its resume data trustworthy.
        AgentSwarm idle = open(loopback(resume));
        assertThat(idle.previousRunEndedCleanly()).isFalse();
        closeNow(idle);
        assertThat(Files.readString(resume.resolve(AgentSwarm.CLEAN_SHUTDOWN))).contains(d3.infoHash());

        AgentSwarm fourth = open(loopback(resume));
        assertThat(fourth.previousRunEndedCleanly()).isTrue();
        fourth.updatePeerSources(LOOPBACK_SITE);
        SwarmDownload d4 = fourth.download(t.torrent(), save);
        // Before the check starts, progress still shows what the resume data claims (every
        // piece): wait for the check's verdict, not merely for "not checking".
        await("the recheck drops the corrupt piece, and only it").atMost(TIMEOUT)
                .until(() -> d4.progress().state() != SwarmState.CHECKING
                        && d4.progress().bytesDone() == t.size() - t.pieceLength());
        d4.connectPeer(address(seeder));
        awaitFinished(d4);

        assertThat(Sha256.hex(d4.path())).isEqualTo(t.sha256());
        assertThat(awaitCounted(d4, t.pieceLength()).sameSitePeers()).isEqualTo(t.pieceLength());
    }

    @Test
    void uploadCapHoldsOnLoopback() throws Exception {
        TestTorrent t = torrent("capped.bin", 4 * MIB);
        AgentSwarm seeder = open(loopback(dir.resolve("seeder-resume")).withUploadRateLimit(512 * 1024));
        seeding(seeder, t);
        AgentSwarm leecher = open(loopback(dir.resolve("resume")));
        SwarmDownload d = leecher.download(t.torrent(), dir.resolve("downloads"));

        long start = System.nanoTime();
        d.connectPeer(address(seeder));
        awaitFinished(d);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // 4 MiB at 512 KiB/s is 8 s; libtorrent lets a little burst through at the start.
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(6));
        assertThat(Sha256.hex(d.path())).isEqualTo(t.sha256());
    }

    @Test
    void withNoPeerToDeliverTheDownloadTurnsToTheWebSeedAfterTheWaitAndCountsItsBytesAsWebSeed() throws Exception {
        try (TestWebSeed web = TestWebSeed.serving(dir.resolve("origin"))) {
            TestTorrent t = torrent("web.bin", 6 * MIB, web.url());
            AgentSwarm leecher = open(loopback(dir.resolve("resume")).withWebSeedAfter(Duration.ofSeconds(2)));
            leecher.updatePeerSources(new PeerSources(List.of("127.0.0.0/8"), List.of("127.0.0.1:" + web.port())));
            long start = System.nanoTime();
            SwarmDownload d = leecher.download(t.torrent(), dir.resolve("downloads"));
            await().atMost(TIMEOUT).until(() -> web.bytesServed() > 0);
            Duration firstWebSeedByte = Duration.ofNanos(System.nanoTime() - start);
            awaitFinished(d);

            assertThat(firstWebSeedByte).as("the web seed waits for the peers first").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(Sha256.hex(d.path())).isEqualTo(t.sha256());
            assertThat(web.bytesServed()).isGreaterThanOrEqualTo(t.size());
            BytesBySource b = awaitCounted(d, t.size());
            assertThat(b.webSeed()).as("no handshake, no peer id: an HTTP seed whatever its address")
                    .isBetween(t.size(), t.size() + t.pieceLength());
            assertThat(b.total()).isEqualTo(b.webSeed());
        }
    }

    @Test
    void whilePeersDeliverTheWebSeedIsNotAskedForAByte() throws Exception {
        try (TestWebSeed web = TestWebSeed.serving(dir.resolve("origin"))) {
            TestTorrent t = torrent("peers-first.bin", 16 * MIB, web.url());
            AgentSwarm seeder = open(loopback(dir.resolve("seeder-resume")));
            seeding(seeder, t);
            // A slow peer (4 MiB/s: about 4 s for the file) still beats a 2 s wait for progress.
            AgentSwarm leecher = open(loopback(dir.resolve("resume")).withDownloadRateLimit(4 * MIB)
                    .withWebSeedAfter(Duration.ofSeconds(2)));
            leecher.updatePeerSources(LOOPBACK_SITE);
            SwarmDownload d = leecher.download(t.torrent(), dir.resolve("downloads"));
            d.connectPeer(address(seeder));
            awaitFinished(d);

            assertThat(Sha256.hex(d.path())).isEqualTo(t.sha256());
            assertThat(web.bytesServed()).as("bytes the web seed served").isZero();
            assertThat(awaitCounted(d, t.size()).webSeed()).isZero();
        }
    }

    @Test
    void aCompletedTorrentStopsSeedingAfterItsSeedTimeAndKeepsItsFiles() throws Exception {
        TestTorrent t = torrent("short-lived.bin", 2 * MIB);
        AgentSwarm seeder = open(loopback(dir.resolve("seeder-resume")));
        seeding(seeder, t);
        Path resume = dir.resolve("resume");
        SwarmSettings settings = loopback(resume).withSeedTime(Duration.ofSeconds(1));

        AgentSwarm first = open(settings);
        SwarmDownload d = first.download(t.torrent(), dir.resolve("downloads"));
        d.connectPeer(address(seeder));
        awaitFinished(d);
        await().atMost(Duration.ofSeconds(20)).until(() -> d.progress().state() == SwarmState.STOPPED);

        assertThat(d.progress().finished()).isTrue();
        assertThat(Sha256.hex(d.path())).isEqualTo(t.sha256());
        assertThat(first.status()).extracting(TorrentStatus::state).containsExactly(SwarmState.STOPPED);
        assertThat(first.stopSeeding(d.infoHash())).as("already stopped").isFalse();
        closeNow(first);

        // After a restart the torrent is not seeded again: its seed time ended before.
        AgentSwarm second = open(settings);
        SwarmDownload again = second.download(t.torrent(), dir.resolve("downloads"));
        assertThat(again.progress().state()).isEqualTo(SwarmState.STOPPED);
        assertThat(again.progress().bytesDone()).isEqualTo(t.size());
    }

    @Test
    void aDownloadPausesResumesAndIsRemovedWithItsFiles() throws Exception {
        TestTorrent t = torrent("paused.bin", 8 * MIB);
        AgentSwarm seeder = open(loopback(dir.resolve("seeder-resume")).withUploadRateLimit(2 * MIB));
        seeding(seeder, t);
        Path resume = dir.resolve("resume");
        // libtorrent waits min_reconnect_time (60 s) before it dials a peer whose connection
        // closed; pausing closes them. An agent learns peers again from the tracker; here the
        // test dials the seeder itself, which the default would ignore for a minute.
        AgentSwarm leecher = open(loopback(resume).withLibtorrent(Map.of("min_reconnect_time", "1")));
        SwarmDownload d = leecher.download(t.torrent(), dir.resolve("downloads"));
        d.connectPeer(address(seeder));
        await().atMost(TIMEOUT).until(() -> d.progress().bytesDone() > 0);

        d.pause();
        await().atMost(TIMEOUT).until(() -> d.progress().state() == SwarmState.PAUSED);
        long paused = d.progress().bytesDone();
        assertThat(paused).isLessThan(t.size());
        d.resume();
        d.connectPeer(address(seeder)); // pausing closed the connection
        await().atMost(TIMEOUT).until(() -> d.progress().bytesDone() > paused);
        assertThat(resume.resolve(d.infoHash() + ".resume")).exists();

        d.remove(true);
        assertThat(leecher.downloads()).isEmpty();
        assertThat(leecher.find(d.infoHash())).isEmpty();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(d.path()).doesNotExist();
            assertThat(resume.resolve(d.infoHash() + ".resume")).doesNotExist();
        });
        assertThat(origin().resolve(t.name())).as("the seeder's copy").exists();
    }

    // ---------------------------------------------------------------- helpers

    /** The seeder's folder, holding each test torrent's complete file. */
    private Path origin() {
        return dir.resolve("origin");
    }

    /** A torrent of random bytes, its file written into {@link #origin()}. */
    private TestTorrent torrent(String name, int size, String... webSeeds) throws IOException {
        TestTorrent t = TestTorrent.of(name, TestBytes.random(size)).pieceLength(PIECE).webSeeds(List.of(webSeeds)).build();
        t.writeInto(origin());
        return t;
    }

    /** Any free port on loopback, no rate limits, seeding for ever. */
    private static SwarmSettings loopback(Path resumeDir) {
        return SwarmSettings.of("127.0.0.1:0", resumeDir);
    }

    private AgentSwarm open(SwarmSettings settings) {
        AgentSwarm s = AgentSwarm.open(settings);
        open.add(s);
        return s;
    }

    private void closeNow(AgentSwarm s) {
        s.close();
        open.remove(s);
    }

    /** Adds the torrent over its complete file: libtorrent checks it and seeds. */
    private SwarmDownload seeding(AgentSwarm seeder, TestTorrent t) {
        SwarmDownload s = seeder.download(t.torrent(), origin());
        awaitFinished(s);
        assertThat(s.progress().state()).isEqualTo(SwarmState.SEEDING);
        return s;
    }

    private static void awaitFinished(SwarmDownload d) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> d.progress().finished());
    }

    /** Byte counts follow libtorrent through its alert queue, a few milliseconds behind. */
    private static BytesBySource awaitCounted(SwarmDownload d, long atLeast) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> d.bytesBySource().total() >= atLeast);
        return d.bytesBySource();
    }

    private static InetSocketAddress address(AgentSwarm s) {
        return new InetSocketAddress("127.0.0.1", s.listenPort());
    }
}
