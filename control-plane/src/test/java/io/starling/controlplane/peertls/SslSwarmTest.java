package io.starling.controlplane.peertls;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.protocol.testing.TestBytes;
import io.starling.protocol.testing.TestTorrent;
import io.starling.protocol.torrent.ResumeFiles;
import io.starling.protocol.torrent.SslTorrents;
import io.starling.protocol.torrent.TorrentSession;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libtorrent4j.AlertListener;
import org.libtorrent4j.SettingsPack;
import org.libtorrent4j.TorrentFlags;
import org.libtorrent4j.TorrentInfo;
import org.libtorrent4j.alerts.Alert;
import org.libtorrent4j.alerts.AlertType;
import org.libtorrent4j.swig.add_torrent_params;
import org.libtorrent4j.swig.address;
import org.libtorrent4j.swig.error_code;
import org.libtorrent4j.swig.settings_pack;
import org.libtorrent4j.swig.tcp_endpoint;
import org.libtorrent4j.swig.torrent_handle;

/**
 * Real libtorrent sessions on loopback with an SSL torrent (hybrid v1+v2, CA certificate in the
 * info dictionary): peers holding a certificate from the swarm CA exchange pieces over TLS;
 * a peer whose certificate another CA signed, or who has none, gets nothing.
 */
class SslSwarmTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final ExecutorService writer = Executors.newSingleThreadExecutor();
    private final List<TorrentSession> open = new ArrayList<>();
    private final Queue<String> alerts = new ConcurrentLinkedQueue<>();
    private final PeerCertificates.Ca swarmCa = PeerCertificates.newCa("Starling swarm CA", Duration.ofDays(1));

    @AfterEach
    void closeSessions() {
        open.forEach(TorrentSession::close);
        writer.shutdownNow();
    }

    @Test
    void peersWithCertificatesFromTheSwarmCaDownloadFromEachOther() throws Exception {
        TestTorrent t = sslTorrent();
        TorrentSession origin = session("origin");
        torrent_handle seed = seed(origin, t, certificate(swarmCa, "origin"));
        TorrentSession agent = session("agent");
        torrent_handle download = agent.add(params(t, dir.resolve("agent")), t);
        setCertificate(download, certificate(swarmCa, "agent-1"));

        download.connect_peer(new tcp_endpoint(loopback(), origin.sslListenPort().orElseThrow()));
        await(() -> download.status().getIs_finished());

        assertThat(Files.readAllBytes(dir.resolve("agent").resolve(t.name()))).isEqualTo(t.data());
        assertThat(seed.status().getIs_seeding()).isTrue();
    }

    @Test
    void aPeerWithACertificateFromAnotherCaGetsNoPieces() throws Exception {
        PeerCertificates.Ca other = PeerCertificates.newCa("Starling swarm CA", Duration.ofDays(1));

        assertThat(bytesAStrangerGets(certificate(other, "agent-1"))).as(String.join("\n", alerts)).isZero();
    }

    @Test
    void aPeerWithoutACertificateGetsNoPieces() throws Exception {
        assertThat(bytesAStrangerGets(null)).as(String.join("\n", alerts)).isZero();
    }

    /** A peer that knows the SSL torrent dials the origin's TLS and plain ports; what it downloaded in 3 s. */
    private long bytesAStrangerGets(Certificate certificateOrNone) throws Exception {
        TestTorrent t = sslTorrent();
        TorrentSession origin = session("origin");
        seed(origin, t, certificate(swarmCa, "origin"));
        TorrentSession stranger = session("stranger");
        torrent_handle download = stranger.add(params(t, dir.resolve("stranger")), t);
        if (certificateOrNone != null) {
            setCertificate(download, certificateOrNone);
        }

        download.connect_peer(new tcp_endpoint(loopback(), origin.sslListenPort().orElseThrow()));
        download.connect_peer(new tcp_endpoint(loopback(), origin.listenPort()));
        Thread.sleep(3_000);
        return download.status().getTotal_wanted_done();
    }

    @Test
    void aClientThatIgnoresTheCertificateAndSpeaksPlainBitTorrentIsDroppedBeforeItLearnsAnyPiece() throws Exception {
        TestTorrent t = sslTorrent();
        TorrentSession origin = session("origin");
        seed(origin, t, certificate(swarmCa, "origin"));

        byte[] answer;
        try (Socket plain = new Socket("127.0.0.1", origin.listenPort())) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write(handshake(HexFormat.of().parseHex(t.infoHashV1())));
            answer = plain.getInputStream().readAllBytes(); // until libtorrent hangs up
        }

        // A BitTorrent handshake is 68 bytes; a bitfield or have message would follow it.
        assertThat(answer.length).as("bytes before the origin hung up").isLessThanOrEqualTo(68);
    }

    private static byte[] handshake(byte[] infoHash) {
        byte[] protocol = "BitTorrent protocol".getBytes(StandardCharsets.US_ASCII);
        byte[] h = new byte[68];
        h[0] = (byte) protocol.length;
        System.arraycopy(protocol, 0, h, 1, protocol.length);
        System.arraycopy(infoHash, 0, h, 28, 20);
        System.arraycopy("-XX0001-stranger0000".getBytes(StandardCharsets.US_ASCII), 0, h, 48, 20);
        return h;
    }

    // ---------------------------------------------------------------- helpers

    private record Certificate(String certificatePem, String privateKeyPem) {
    }

    private static Certificate certificate(PeerCertificates.Ca ca, String commonName) {
        KeyPair keys = PeerCertificates.newKeyPair();
        return new Certificate(PeerCertificates.issue(ca, keys.getPublic(), commonName, Duration.ofHours(1)),
                PeerCertificates.pem(keys.getPrivate()));
    }

    private static void setCertificate(torrent_handle h, Certificate c) {
        SslTorrents.setCertificate(h, c.certificatePem(), c.privateKeyPem());
    }

    private TestTorrent sslTorrent() {
        return TestTorrent.of("app.bin", TestBytes.pattern(600_000)).sslRootCert(swarmCa.certificatePem()).build();
    }

    private TorrentSession session(String name) throws Exception {
        AlertListener log = new AlertListener() {
            @Override
            public int[] types() {
                return new int[] {AlertType.TORRENT_ERROR.swig(), AlertType.PEER_ERROR.swig(),
                    AlertType.PEER_DISCONNECTED.swig(), AlertType.PEER_CONNECT.swig(), AlertType.INCOMING_CONNECTION.swig(),
                    AlertType.PEER_LOG.swig(), AlertType.LISTEN_FAILED.swig(), AlertType.LOG.swig(), AlertType.TORRENT_LOG.swig()};
            }

            @Override
            public void alert(Alert<?> alert) {
                alerts.add(name + ": " + alert.type() + " " + alert.message());
            }
        };
        ResumeFiles files = ResumeFiles.open(dir.resolve(name + "-resume"), "the test adds it without");
        SettingsPack settings = TorrentSession.settings(SslTorrents.sslListenInterface("127.0.0.1:0", 0));
        // uTP over loopback is slow; TCP is what the agents use on a LAN as well.
        settings.setBoolean(settings_pack.bool_types.enable_outgoing_utp.swigValue(), false);
        TorrentSession s = TorrentSession.start(name, settings,
                org.libtorrent4j.swig.alert.peer_notification.or_(org.libtorrent4j.swig.alert.connect_notification)
                        .or_(org.libtorrent4j.swig.alert.peer_log_notification)
                        .or_(org.libtorrent4j.swig.alert.session_log_notification).or_(org.libtorrent4j.swig.alert.torrent_log_notification).to_int(),
                log, new TorrentSession.ResumeWrites(files, writer, ih -> false));
        open.add(s);
        return s;
    }

    private torrent_handle seed(TorrentSession s, TestTorrent t, Certificate c) throws Exception {
        t.writeInto(dir.resolve("seed"));
        torrent_handle h = s.add(params(t, dir.resolve("seed")), t);
        setCertificate(h, c);
        await(() -> h.status().getIs_seeding());
        return h;
    }

    private static add_torrent_params params(TestTorrent t, Path saveDir) {
        add_torrent_params p = new add_torrent_params();
        p.set_ti(new TorrentInfo(t.torrent()).swig());
        p.setSave_path(saveDir.toAbsolutePath().toString());
        // Started at once: libtorrent's queue would hold it paused, and a paused torrent turns peers away.
        p.setFlags(p.getFlags().and_(TorrentFlags.PAUSED.inv()).and_(TorrentFlags.AUTO_MANAGED.inv()));
        return p;
    }

    private static address loopback() {
        return address.from_string("127.0.0.1", new error_code());
    }

    private void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s; alerts:\n%s", TIMEOUT, String.join("\n", alerts)).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
