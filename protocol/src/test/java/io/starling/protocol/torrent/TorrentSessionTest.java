package io.starling.protocol.torrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.protocol.testing.TestBytes;
import io.starling.protocol.testing.TestTorrent;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libtorrent4j.AlertListener;
import org.libtorrent4j.SettingsPack;
import org.libtorrent4j.TorrentInfo;
import org.libtorrent4j.alerts.Alert;
import org.libtorrent4j.alerts.AlertType;
import org.libtorrent4j.swig.add_torrent_params;
import org.libtorrent4j.swig.address;
import org.libtorrent4j.swig.error_code;
import org.libtorrent4j.swig.settings_pack;
import org.libtorrent4j.swig.tcp_endpoint;
import org.libtorrent4j.swig.torrent_handle;

/** Real libtorrent sessions on loopback; peers meet through connect_peer, the tracker refuses connections. */
class TorrentSessionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final ExecutorService writer = Executors.newSingleThreadExecutor();
    private final List<TorrentSession> open = new ArrayList<>();
    /** Info-hashes of torrents whose TORRENT_FINISHED alert reached the owner's listener. */
    private final Set<String> finished = ConcurrentHashMap.newKeySet();

    @AfterEach
    void closeSessions() {
        open.forEach(TorrentSession::close);
        writer.shutdownNow();
    }

    @Test
    void aSessionStartedOnPortZeroAcceptsConnectionsOnThePortItReports() throws Exception {
        TorrentSession s = start(TorrentSession.settings("127.0.0.1:0"), "resume", ih -> true);

        assertThat(s.listenPort()).isPositive();
        try (Socket peer = new Socket("127.0.0.1", s.listenPort())) {
            assertThat(peer.isConnected()).isTrue();
        }
    }

    @Test
    void aTakenPortFailsTheStartWithLibtorrentsReason() throws Exception {
        TorrentSession first = start(TorrentSession.settings("127.0.0.1:0"), "resume", ih -> true);
        SettingsPack sameport = TorrentSession.settings("127.0.0.1:" + first.listenPort());
        // Without these libtorrent would quietly take the next free port.
        sameport.setInteger(settings_pack.int_types.max_retry_port_bind.swigValue(), 0);
        sameport.setBoolean(settings_pack.bool_types.listen_system_port_fallback.swigValue(), false);

        assertThatThrownBy(() -> start(sameport, "resume2", ih -> true))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("in use");
    }

    @Test
    void theSessionUploadCapHoldsForLoopbackPeers() throws Exception {
        TestTorrent t = torrent("capped.bin", 2 << 20);
        SettingsPack capped = TorrentSession.settings("127.0.0.1:0").uploadRateLimit(512 * 1024);
        TorrentSession seeder = start(capped, "seeder-resume", ih -> true);
        seed(seeder, t);
        SettingsPack tcp = TorrentSession.settings("127.0.0.1:0");
        // uTP over loopback moves a fraction of TCP's rate: the transfer would be slow uncapped too.
        tcp.setBoolean(settings_pack.bool_types.enable_outgoing_utp.swigValue(), false);
        TorrentSession leecher = start(tcp, "leecher-resume", ih -> true);
        torrent_handle download = leecher.add(params(t, dir.resolve("download")), t);

        long start = System.nanoTime();
        error_code ec = new error_code();
        download.connect_peer(new tcp_endpoint(address.from_string("127.0.0.1", ec), seeder.listenPort()));
        await(() -> download.status().getIs_finished());
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // 2 MiB at 512 KiB/s is 4 s; libtorrent lets a little burst through at the start. Loopback
        // peers in libtorrent's local peer class would take it in milliseconds.
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(Files.readAllBytes(dir.resolve("download").resolve(t.name()))).isEqualTo(t.data());
    }

    @Test
    void aCleanStopWritesResumeDataOfEveryTorrentStillWantedAndNoneOfTheOthers() throws Exception {
        TestTorrent kept = torrent("kept.bin", 300_000);
        TestTorrent gone = torrent("gone.bin", 200_000);
        TorrentSession s = start(TorrentSession.settings("127.0.0.1:0"), "resume", ih -> !ih.equals(gone.infoHashV1()));
        torrent_handle a = seed(s, kept);
        torrent_handle b = seed(s, gone);

        assertThat(s.saveAll(() -> List.of(a, b))).isTrue();

        ResumeFiles files = ResumeFiles.open(dir.resolve("resume"), "");
        assertThat(files.infoHashes()).containsExactly(kept.infoHashV1());
        add_torrent_params resumed = files.read(kept.infoHashV1()).orElseThrow();
        assertThat(resumed.get_have_pieces().all_set()).as("every piece it checked, so no rehash next time").isTrue();
    }

    // ---------------------------------------------------------------- helpers

    private TorrentSession start(SettingsPack settings, String resumeFolder, Predicate<String> wanted)
            throws Exception {
        AlertListener owner = new AlertListener() {
            @Override
            public int[] types() {
                return new int[] {AlertType.TORRENT_FINISHED.swig()};
            }

            @Override
            public void alert(Alert<?> alert) {
                finished.add(TorrentSession.infoHash(alert));
            }
        };
        ResumeFiles files = ResumeFiles.open(dir.resolve(resumeFolder), "the test adds it without");
        TorrentSession s = TorrentSession.start("test", settings, 0, owner,
                new TorrentSession.ResumeWrites(files, writer, wanted));
        open.add(s);
        return s;
    }

    /** Adds the torrent over its complete file and waits until the owner hears it is finished. */
    private torrent_handle seed(TorrentSession s, TestTorrent t) throws IOException {
        Path folder = dir.resolve("seed");
        Files.createDirectories(folder);
        Files.write(folder.resolve(t.name()), t.data());
        torrent_handle h = s.add(params(t, folder), t);
        await(() -> finished.contains(t.infoHashV1()));
        return h;
    }

    private static add_torrent_params params(TestTorrent t, Path saveDir) {
        add_torrent_params p = new add_torrent_params();
        p.set_ti(new TorrentInfo(t.torrent()).swig());
        p.setSave_path(saveDir.toAbsolutePath().toString());
        return p;
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s", TIMEOUT).isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static TestTorrent torrent(String name, int size) {
        Libtorrent.load();
        return TestTorrent.of(name, TestBytes.pattern(size)).build();
    }
}
