package io.starling.agent.swarm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.starling.agent.sync.CapturedLog;
import io.starling.agent.sync.TestTls;
import io.starling.protocol.testing.Sha256;
import io.starling.protocol.testing.TestBytes;
import io.starling.protocol.testing.TestTorrent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real libtorrent session against a tracker and web seed over HTTPS with a private CA. For an
 * SSL torrent libtorrent checks their certificate against the swarm CA the torrent carries (not
 * the agent's {@code --ca-bundle}, and not the machine's CAs): docs/security.md, "HTTPS on every
 * control channel".
 */
class HttpsTrackerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String PASSKEY = "0123456789abcdef-passkey";

    @TempDir
    Path dir;

    @Test
    void anSslTorrentAnnouncesAndTakesTheWebSeedOverHttpsWhenTheServerCertificateComesFromTheSwarmCa() throws Exception {
        TestTls fleetCa = TestTls.create(dir.resolve("fleet-ca"), "Fleet CA");
        try (TestWebSeed server = TestWebSeed.servingOverHttps(dir.resolve("origin"), fleetCa.serverContext());
             AgentSwarm agent = AgentSwarm.open(settings())) {
            TestTorrent t = sslTorrent(fleetCa, server);

            SwarmDownload d = agent.download(t.torrent(), dir.resolve("downloads"));

            await().atMost(TIMEOUT).until(() -> d.progress().finished());
            assertThat(Sha256.hex(d.path())).isEqualTo(t.sha256());
            assertThat(server.announces()).as("announces over HTTPS").isPositive();
            assertThat(server.bytesServed()).as("web seed bytes over HTTPS").isGreaterThanOrEqualTo(t.size());
        }
    }

    @Test
    void aServerWhoseCertificateAnotherCaIssuedIsRefusedAndTheAgentSaysWhyInOneLine() throws Exception {
        TestTls fleetCa = TestTls.create(dir.resolve("fleet-ca"), "Fleet CA");
        TestTls otherCa = TestTls.create(dir.resolve("other-ca"), "Some other CA");
        try (CapturedLog log = new CapturedLog();
             TestWebSeed server = TestWebSeed.servingOverHttps(dir.resolve("origin"), otherCa.serverContext());
             AgentSwarm agent = AgentSwarm.open(settings())) {
            TestTorrent t = sslTorrent(fleetCa, server);

            SwarmDownload d = agent.download(t.torrent(), dir.resolve("downloads"));

            String where = "https://127.0.0.1:" + server.port();
            await().atMost(TIMEOUT).until(() -> !refusals(log, where).isEmpty());
            assertThat(refusals(log, where)).singleElement().asString()
                    .contains("certificate verify failed").contains("SSL torrent").contains("swarm CA")
                    .doesNotContain(PASSKEY);
            // The web seed, tried from the start, is refused the same way: nothing gets through.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> server.announces() == 0 && server.bytesServed() == 0 && d.progress().bytesDone() == 0);
        }
    }

    private static List<String> refusals(CapturedLog log, String server) {
        return log.lines().stream().filter(l -> l.contains("the tracker at " + server + " cannot be used")).toList();
    }

    private TestTorrent sslTorrent(TestTls swarmCa, TestWebSeed server) throws Exception {
        TestTorrent t = TestTorrent.of("app-1.0.zip", TestBytes.random(256 * 1024))
                .announce(server.announceUrl() + "/" + PASSKEY).webSeeds(List.of(server.url()))
                .sslRootCert(Files.readString(swarmCa.caPem())).build();
        t.writeInto(dir.resolve("origin"));
        return t;
    }

    /** The web seed from the start, so that both servers are tried at once. */
    private SwarmSettings settings() throws Exception {
        return SwarmSettings.of("127.0.0.1:0", Files.createDirectories(dir.resolve("resume")))
                .withWebSeedAfter(Duration.ZERO);
    }
}
