package io.starling.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.protocol.bencode.Bencode;
import io.starling.protocol.testing.Sha256;
import io.starling.protocol.testing.TestBytes;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Agents as separate processes against the packaged control plane and the real Keycloak: each
 * enrolls (a Keycloak client is created for it), checks in, downloads from its neighbours,
 * verifies, installs and reports. Everything a workstation would see, on loopback.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentsIT {

    private static final Path REPO = Path.of(System.getProperty("starling.repo", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration INSTALL_TIMEOUT = Duration.ofSeconds(120);
    private static final int MiB = 1 << 20;

    private static Keycloak keycloak;
    private static ControlPlaneProcess controlPlane;
    private static ControlPlaneApi api;
    private static Path work;
    private static String enrollment;
    private static final List<AgentProcess> agents = new ArrayList<>();
    private static AgentProcess a1;
    private static AgentProcess a2;
    private static AgentProcess a3;

    @BeforeAll
    static void start() throws Exception {
        keycloak = Keycloak.ensureRunning(REPO);
        work = Files.createTempDirectory("starling-agents");
        controlPlane = new ControlPlaneProcess(REPO, Files.createDirectories(work.resolve("control-plane")));
        // Agents check in every 2 s here (60 s in production), and the origin is capped so that
        // agents have a reason to trade pieces among themselves, as on a real WAN link.
        controlPlane.start("-Dstarling.fleet.check-in-interval=2s", "-Dstarling.seed.upload-rate-limit=" + 8 * MiB);
        api = new ControlPlaneApi(controlPlane::url, keycloak);
        api.post("/sites", Map.of("name", "loopback", "cidrs", List.of("127.0.0.0/8")), 201);
        enrollment = api.enrollmentToken(20);
        a1 = agent("a1");
        a2 = agent("a2");
        a3 = agent("a3");
    }

    @AfterAll
    static void stop() throws Exception {
        for (AgentProcess agent : agents) {
            agent.close();
        }
        if (controlPlane != null) {
            controlPlane.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
    }

    private static AgentProcess agent(String name, String... env) throws Exception {
        AgentProcess agent = new AgentProcess(REPO, work.resolve(name));
        for (int i = 0; i + 1 < env.length; i += 2) {
            agent.with(env[i], env[i + 1]);
        }
        agents.add(agent);
        agent.enroll(controlPlane.url(), enrollment);
        // The enrollment answer brought the SSL-torrent certificate: the first download need not wait for a check-in.
        assertThat(agent.stateDir().resolve("swarm-certificate.pem")).as("peer certificate right after enrollment")
                .content().startsWith("-----BEGIN CERTIFICATE-----");
        return agent.start();
    }


    /**
     * The agent's status as {@code status} prints it, once it shows {@code pattern} (or the command
     * fails): the daemon rewrites its status file on its own tick, so an INSTALLED the control plane
     * already heard of may not be in it yet. Fails, with the last output, when the time is up.
     */
    private static Processes.Result statusShowing(AgentProcess agent, String pattern, Duration timeout) {
        java.util.regex.Pattern wanted = java.util.regex.Pattern.compile(pattern);
        return await().atMost(timeout).pollInterval(Duration.ofMillis(500))
                .until(() -> agent.cli("status"), r -> r.exitCode() != 0 || wanted.matcher(r.output()).find());
    }

    private static Map<String, Object> command(String script) {
        return Map.of("command", List.of("sh", "-c", script), "timeoutSeconds", 30);
    }

    @Test
    @Order(1)
    void threeAgentsInstallAReleaseTradingPiecesAmongThemselves() throws Exception {
        byte[] data = TestBytes.random(40 * MiB);
        api.publish("suite", "1.0", "suite.bin", data, command("echo 1.0 > version.txt"));
        api.deploy("suite", "1.0", a1.agentId(), a2.agentId(), a3.agentId());

        long fromPeers = 0;
        for (AgentProcess agent : List.of(a1, a2, a3)) {
            JsonNode d = api.awaitDeployment("suite", "1.0", agent, "INSTALLED", INSTALL_TIMEOUT);
            assertThat(d.get("bytesDone").asLong()).isEqualTo(data.length);
            fromPeers += d.at("/bytes/sameSitePeers").asLong() + d.at("/bytes/otherSitePeers").asLong();
            Path current = agent.installRoot().resolve("suite/current");
            assertThat(Files.readSymbolicLink(current).toString()).isEqualTo("1.0");
            assertThat(Files.readString(current.resolve("version.txt")).strip()).isEqualTo("1.0");
            assertThat(Sha256.hex(current.resolve("suite.bin"))).isEqualTo(Sha256.hex(data));
        }
        assertThat(fromPeers).as("bytes the three agents got from each other").isPositive();

        Processes.Result status = statusShowing(a1, "suite\\s+1\\.0\\s+sequence 1\\s+active", Duration.ofSeconds(30));
        assertThat(status.exitCode()).isZero();
        assertThat(status.output()).contains("running").containsPattern("suite\\s+1\\.0\\s+sequence 1\\s+active")
                .contains("INSTALLED").contains("suite.bin");
    }

    @Test
    @Order(2)
    void aFailingInstallCommandLeavesThePreviousVersionActiveAndReportsFailed() throws Exception {
        api.publish("suite", "1.1", "suite.bin", TestBytes.random(2 * MiB), command("echo boom; echo the disk is full >&2; exit 3"));
        api.deploy("suite", "1.1", a1.agentId());

        JsonNode d = api.awaitDeployment("suite", "1.1", a1, "FAILED", INSTALL_TIMEOUT);
        assertThat(d.get("reason").asText()).isEqualTo("INSTALL_FAILED");
        assertThat(d.get("exitCode").asInt()).isEqualTo(3);
        assertThat(d.get("output").toString()).contains("boom").contains("the disk is full");
        assertThat(Files.readSymbolicLink(a1.installRoot().resolve("suite/current")).toString()).isEqualTo("1.0");
        assertThat(a1.installRoot().resolve("suite/1.1")).doesNotExist();
    }

    @Test
    @Order(3)
    void anOlderReleaseThanTheInstalledOneIsRefusedAsARollback() throws Exception {
        api.publish("suite", "2.0", "suite.bin", TestBytes.random(2 * MiB), command("true"));
        api.deploy("suite", "2.0", a2.agentId());
        api.awaitDeployment("suite", "2.0", a2, "INSTALLED", INSTALL_TIMEOUT);

        api.deploy("suite", "1.1", a2.agentId());
        JsonNode d = api.awaitDeployment("suite", "1.1", a2, "FAILED", INSTALL_TIMEOUT);
        assertThat(d.get("reason").asText()).isEqualTo("ROLLBACK");
        assertThat(d.get("detail").asText()).contains("sequence 2").contains("installed sequence 3");
        assertThat(Files.readSymbolicLink(a2.installRoot().resolve("suite/current")).toString()).isEqualTo("2.0");
    }

    @Test
    @Order(4)
    void aManifestWithABadSignatureAndATamperedTorrentAreRefusedOnTheWay() throws Exception {
        try (TamperingProxy proxy = new TamperingProxy(controlPlane.url())) {
            AgentProcess m = new AgentProcess(REPO, work.resolve("mitm"));
            agents.add(m);
            m.enroll(proxy.url(), enrollment);
            proxy.rewrite((path, body) -> {
                if (path.endsWith("/check-in")) {
                    return flipSignatureOf("forged", body);
                }
                if (path.endsWith("/torrent") && new String(body, StandardCharsets.ISO_8859_1).contains("tampered.bin")) {
                    return flipLastPieceHashByte(body);
                }
                return body;
            });
            m.start();
            api.publish("forged", "1.0", "forged.bin", TestBytes.random(MiB), null);
            api.deploy("forged", "1.0", m.agentId());
            JsonNode forged = api.awaitDeployment("forged", "1.0", m, "FAILED", INSTALL_TIMEOUT);
            assertThat(forged.get("reason").asText()).isEqualTo("BAD_SIGNATURE");

            api.publish("tampered", "1.0", "tampered.bin", TestBytes.random(MiB), null);
            api.deploy("tampered", "1.0", m.agentId());
            JsonNode tampered = api.awaitDeployment("tampered", "1.0", m, "FAILED", INSTALL_TIMEOUT);
            assertThat(tampered.get("reason").asText()).isEqualTo("BAD_ARTIFACT");
            assertThat(m.installRoot().resolve("forged")).doesNotExist();
            assertThat(m.installRoot().resolve("tampered")).doesNotExist();
            m.stop();
        }
    }

    @Test
    @Order(5)
    void anArtifactTamperedWithOnTheAgentsDiskIsRefusedAndNeverInstalled() throws Exception {
        AgentProcess t = agent("tamper", "STARLING_AGENT_SWARM_DOWNLOAD_RATE_LIMIT", String.valueOf(2 * MiB));
        byte[] data = TestBytes.random(32 * MiB);
        api.publish("disk", "1.0", "disk.bin", data, null);
        String id = api.deploy("disk", "1.0", t.agentId()).get(0);
        awaitProgress("disk", "1.0", t, 0.3);
        // A clean stop: resume data is saved and trusted at the next start (no recheck) …
        t.stop();
        // … so a byte changed inside a piece that resume data calls verified goes unnoticed by
        // libtorrent. (Pieces arrive in any order: change one the agent has, not just any.)
        long offset = verifiedPieceOffset(t, id, "disk.bin") + 100;
        Path file = t.stateDir().resolve("downloads/disk/1.0/disk.bin");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int b = raf.read();
            raf.seek(offset);
            raf.write(b ^ 0xff);
        }
        // … so only the SHA-256 of the whole file, checked before installing, can catch this.
        t.start();
        JsonNode d = api.awaitDeployment("disk", "1.0", t, "FAILED", INSTALL_TIMEOUT);
        assertThat(d.get("reason").asText()).isEqualTo("BAD_ARTIFACT");
        assertThat(d.get("detail").asText()).contains("disk.bin");
        assertThat(t.installRoot().resolve("disk")).doesNotExist();
        t.stop();
    }

    @Test
    @Order(6)
    void anExpiredManifestIsRefused() throws Exception {
        boolean faketime = Files.isExecutable(Path.of("/usr/bin/faketime"));
        if (!faketime && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("faketime is missing: .ci/run installs it (apt-get install faketime)");
        }
        Assumptions.assumeTrue(faketime, "faketime not installed (apt-get install faketime)");
        // This machine's clock says 40 days from now: every 30-day manifest has expired for it.
        AgentProcess late = new AgentProcess(REPO, work.resolve("late")).wrappedIn("/usr/bin/faketime", "+40 days");
        agents.add(late);
        late.enroll(controlPlane.url(), enrollment).start();
        api.publish("frozen", "1.0", "frozen.bin", TestBytes.random(MiB), null);
        api.deploy("frozen", "1.0", late.agentId());
        JsonNode d = api.awaitDeployment("frozen", "1.0", late, "FAILED", INSTALL_TIMEOUT);
        assertThat(d.get("reason").asText()).isEqualTo("EXPIRED");
        late.stop();
    }

    @Test
    @Order(7)
    void anAgentKilledMidDownloadCompletesWithoutDownloadingItsVerifiedPiecesAgain() throws Exception {
        AgentProcess k = agent("killed", "STARLING_AGENT_SWARM_DOWNLOAD_RATE_LIMIT", String.valueOf(2 * MiB));
        byte[] data = TestBytes.random(40 * MiB);
        api.publish("crash", "1.0", "crash.bin", data, null);
        String id = api.deploy("crash", "1.0", k.agentId()).get(0);
        awaitProgress("crash", "1.0", k, 0.5);
        k.kill();
        long verifiedBeforeKill = api.deploymentOf("crash", "1.0", k.agentId()).get("bytesDone").asLong();
        long downloadedBeforeKill = total(JSON.readTree(k.stateDir().resolve("deployments.json").toFile())
                .at("/deployments/" + id + "/bytes"));

        k.start();
        JsonNode done = api.awaitDeployment("crash", "1.0", k, "INSTALLED", INSTALL_TIMEOUT);
        assertThat(Sha256.hex(k.installRoot().resolve("crash/current/crash.bin"))).isEqualTo(Sha256.hex(data));
        // Bytes by source are counted block by block and kept in the journal across restarts:
        // what the second run downloaded is the difference. Had the agent thrown its verified
        // pieces away, that would be the whole file again.
        long downloadedAfterRestart = total(done.get("bytes")) - downloadedBeforeKill;
        assertThat(verifiedBeforeKill).isGreaterThanOrEqualTo(data.length / 2);
        assertThat(downloadedAfterRestart).as("bytes downloaded after the restart; %d were verified before the kill",
                verifiedBeforeKill).isLessThanOrEqualTo(data.length - verifiedBeforeKill + data.length / 10);
        k.stop();
    }

    /** Where a piece starts that the agent's resume data lists as downloaded and verified. */
    @SuppressWarnings("unchecked")
    private static long verifiedPieceOffset(AgentProcess agent, String deploymentId, String artifact) throws Exception {
        Map<String, Object> torrent = (Map<String, Object>) Bencode.decode(Files.readAllBytes(
                agent.stateDir().resolve("torrents/" + deploymentId + "/" + artifact + ".torrent")));
        long pieceLength = (Long) ((Map<String, Object>) torrent.get("info")).get("piece length");
        try (var files = Files.list(agent.stateDir().resolve("resume"))) {
            Path resume = files.filter(f -> f.toString().endsWith(".resume")).findFirst().orElseThrow();
            byte[] have = (byte[]) ((Map<String, Object>) Bencode.decode(Files.readAllBytes(resume))).get("pieces");
            for (int i = 0; i < have.length; i++) {
                if ((have[i] & 1) != 0) {
                    return i * pieceLength;
                }
            }
        }
        throw new AssertionError("the resume data lists no verified piece");
    }

    private static long total(JsonNode bytes) {
        return bytes.get("sameSitePeers").asLong() + bytes.get("otherSitePeers").asLong()
                + bytes.get("originSeeder").asLong() + bytes.get("webSeed").asLong();
    }

    @Test
    @Order(8)
    void agentsThatHavePeersFinishWhileTheControlPlaneIsDown() throws Exception {
        byte[] data = TestBytes.random(40 * MiB);
        api.publish("offline", "1.0", "offline.bin", data, null);
        api.deploy("offline", "1.0", a1.agentId());
        api.awaitDeployment("offline", "1.0", a1, "INSTALLED", INSTALL_TIMEOUT);

        // Slow enough (40 s each) that neither is done before the other has started: CI saw one install while
        // the other was still starting at 3 MiB/s.
        String cap = String.valueOf(MiB);
        AgentProcess o1 = agent("offline-1", "STARLING_AGENT_SWARM_DOWNLOAD_RATE_LIMIT", cap);
        AgentProcess o2 = agent("offline-2", "STARLING_AGENT_SWARM_DOWNLOAD_RATE_LIMIT", cap);
        List<String> ids = api.deploy("offline", "1.0", o1.agentId(), o2.agentId());
        awaitProgress("offline", "1.0", o1, 0.1);
        awaitProgress("offline", "1.0", o2, 0.1);

        controlPlane.stop();
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                String s1 = o1.localState(ids.get(0));
                String s2 = o2.localState(ids.get(1));
                assertThat(List.of(String.valueOf(s1), String.valueOf(s2)))
                        .as("both agents install while the control plane is down; o1: %s, o2: %s\n%s",
                                s1, s2, ControlPlaneApi.tail(o1.logText()))
                        .containsExactly("INSTALLED", "INSTALLED");
            });
        } finally {
            controlPlane.start("-Dstarling.fleet.check-in-interval=2s", "-Dstarling.seed.upload-rate-limit=" + 8 * MiB);
        }
        // Back online, they tell the control plane what happened meanwhile.
        api.awaitDeployment("offline", "1.0", o1, "INSTALLED", INSTALL_TIMEOUT);
        api.awaitDeployment("offline", "1.0", o2, "INSTALLED", INSTALL_TIMEOUT);
        o1.stop();
        o2.stop();
    }

    @Test
    @Order(9)
    void aRevokedAgentIsRefusedEverywhereAndItsPasskeysAreRevokedWithIt() throws Exception {
        JsonNode identity = a3.identity();
        String passkey = identity.get("passkey").asText();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // A token the agent fetched just before it was revoked, still valid for minutes.
        String token = JSON.readTree(clientCredentials(http, identity).body()).get("access_token").asText();
        // What the agent could read until now: suite 1.0 is deployed to it.
        List<String> reads = agentReads(passkey);
        for (String path : reads) {
            assertThat(get(http, path, token).statusCode()).as("before the revocation: %s", path).isEqualTo(200);
        }
        String webSeed = controlPlane.url() + "/seed/" + passkey + "/suite/1.0/suite.bin";
        assertThat(http.send(HttpRequest.newBuilder(URI.create(webSeed)).header("Range", "bytes=0-15").build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(206);

        api.post("/agents/" + a3.agentId() + "/revoke", Map.of(), 200);

        for (String path : reads) {
            HttpResponse<String> refused = get(http, path, token);
            assertThat(refused.statusCode()).as("after the revocation: %s answered %s", path, refused.body()).isEqualTo(401);
            assertThat(refused.body()).contains("has been revoked");
        }
        HttpResponse<String> seedRefused = http.send(HttpRequest.newBuilder(URI.create(webSeed))
                .header("Range", "bytes=0-15").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(seedRefused.statusCode()).as("the web seed answered %s", seedRefused.body()).isEqualTo(403);
        // Every passkey it owns went with it (an agent is given no other than its enrollment's).
        String owner = "agent:" + a3.agentId();
        List<JsonNode> owned = new ArrayList<>();
        api.get("/passkeys").forEach(k -> {
            if (k.path("owner").asText().equals(owner)) {
                owned.add(k);
            }
        });
        assertThat(owned).isNotEmpty().allSatisfy(k -> assertThat(k.path("revokedAt").isNull()).isFalse());

        HttpResponse<String> checkIn = http.send(HttpRequest.newBuilder(URI.create(controlPlane.url()
                        + "/api/agent/v1/check-in")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(checkIn.statusCode()).as("check-in of the revoked agent answered %s", checkIn.body()).isEqualTo(401);
        assertThat(checkIn.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));

        String announce = controlPlane.url() + "/announce/" + identity.get("passkey").asText()
                + "?info_hash=" + "%01".repeat(20) + "&peer_id=" + "-ST0001-000000000000" + "&port=6881&uploaded=0"
                + "&downloaded=0&left=0&compact=1";
        String refusal = http.send(HttpRequest.newBuilder(URI.create(announce)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1)).body();
        assertThat(refusal).startsWith("d14:failure reason").contains("revoked");

        // Its Keycloak client is disabled: no new token, and the running agent says so.
        HttpResponse<String> refused = clientCredentials(http, identity);
        assertThat(refused.statusCode()).isIn(400, 401);
        assertThat(refused.body()).contains("invalid_client");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode lastCheckIn = a3.status().path("lastCheckIn");
            assertThat(lastCheckIn.path("message").asText()).as("the revoked agent notices: %s", lastCheckIn)
                    .contains("invalid_client");
        });
        assertThat(a3.status().at("/lastCheckIn/ok").asBoolean()).isFalse();
    }

    /** The agent-role reads under /api/v1 and the agent API, of a release deployed to a3. */
    private static List<String> agentReads(String passkey) throws Exception {
        String release = "/api/v1/products/suite/releases/1.0";
        String deployment = api.deploymentOf("suite", "1.0", a3.agentId()).get("id").asText();
        return List.of(release + "/manifest", release + "/manifest.sig",
                release + "/artifacts/suite.bin/torrent?passkey=" + passkey, "/api/v1/signing-keys",
                "/api/agent/v1/deployments/" + deployment + "/artifacts/suite.bin/torrent");
    }

    private static HttpResponse<String> get(HttpClient http, String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(controlPlane.url() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> clientCredentials(HttpClient http, JsonNode identity) throws Exception {
        String form = "grant_type=client_credentials&client_id=" + enc(identity.get("clientId").asText())
                + "&client_secret=" + enc(identity.get("clientSecret").asText());
        return http.send(HttpRequest.newBuilder(URI.create(identity.get("tokenUrl").asText()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    // --- helpers -----------------------------------------------------------------------------

    /** Waits until the control plane has heard that the agent holds {@code fraction} of the release. */
    private static void awaitProgress(String product, String version, AgentProcess agent, double fraction)
            throws Exception {
        JsonNode d = await().alias(agent.agentId() + " has " + fraction + " of " + product + " " + version)
                .atMost(INSTALL_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> api.deploymentOf(product, version, agent.agentId()), deployment -> {
                    long total = deployment.get("bytesTotal").asLong();
                    return total > 0 && deployment.get("bytesDone").asLong() >= fraction * total;
                });
        assertThat(d.get("state").asText()).isEqualTo("DOWNLOADING");
    }

    private static byte[] flipSignatureOf(String product, byte[] checkIn) {
        try {
            ObjectNode response = (ObjectNode) JSON.readTree(checkIn);
            for (JsonNode d : response.path("deployments")) {
                if (product.equals(d.path("product").asText())) {
                    byte[] signature = Base64.getDecoder().decode(d.get("signature").asText());
                    signature[0] ^= 1;
                    ((ObjectNode) d).put("signature", Base64.getEncoder().encodeToString(signature));
                }
            }
            return JSON.writeValueAsBytes(response);
        } catch (java.io.IOException e) {
            return checkIn;
        }
    }

    /** One bit of the v1 piece hashes: the torrent now describes other bytes (and has another info-hash). */
    private static byte[] flipLastPieceHashByte(byte[] torrent) {
        String text = new String(torrent, StandardCharsets.ISO_8859_1);
        int pieces = text.indexOf("6:pieces");
        if (pieces < 0) {
            return torrent;
        }
        int colon = text.indexOf(':', pieces + 8);
        byte[] copy = torrent.clone();
        copy[colon + 1] ^= 1;
        return copy;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
