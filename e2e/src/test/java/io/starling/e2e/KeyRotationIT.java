package io.starling.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.protocol.agent.SignedAssignment;
import io.starling.protocol.assignment.AssignedDeployment;
import io.starling.protocol.assignment.Assignment;
import io.starling.protocol.assignment.AssignmentSigner;
import io.starling.protocol.assignment.AssignmentVerifier;
import io.starling.protocol.manifest.CanonicalJson;
import io.starling.protocol.manifest.Ed25519Keys;
import io.starling.protocol.manifest.Manifest;
import io.starling.protocol.manifest.ManifestSigner;
import io.starling.protocol.manifest.SignedManifest;
import io.starling.protocol.testing.TestBytes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rotating the manifest signing key as docs/operations.md tells an admin to, against the packaged
 * control plane and agents as processes: the root made with {@code starling-agent keys init-root},
 * key sets signed with {@code keys sign} and uploaded; agents enrolled once with
 * {@code --root-key-fingerprint} install releases signed by the new key without enrolling again,
 * and refuse a manifest signed by the key the root revoked; one that installed a sequence far ahead
 * signed with that key before it was revoked (a fast-forward) installs the genuine next release
 * all the same, without the admin naming a sequence.
 */
class KeyRotationIT {

    private static final Path REPO = Path.of(System.getProperty("starling.repo", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration INSTALL_TIMEOUT = Duration.ofSeconds(120);
    private static final int MiB = 1 << 20;
    /** The sequence a holder of the online key signs to lock genuine releases out (a fast-forward). */
    private static final long FAR_AHEAD = 1_000_000;

    private static Keycloak keycloak;
    private static ControlPlaneProcess controlPlane;
    private static ControlPlaneApi api;
    private static Path work;
    private static AgentProcess admin;
    private static final List<AgentProcess> agents = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        keycloak = Keycloak.ensureRunning(REPO);
        work = Files.createTempDirectory("starling-keys");
        // The admin's offline machine: the agent's jar, not enrolled anywhere.
        admin = new AgentProcess(REPO, work.resolve("offline"));
        Processes.Result root = admin.cli("keys", "init-root", "--out", work.resolve("root.pem").toString());
        assertThat(root.exitCode()).as(root.output()).isZero();
        assertThat(Files.getPosixFilePermissions(work.resolve("root.pem"))).hasSize(2);

        controlPlane = new ControlPlaneProcess(REPO, Files.createDirectories(work.resolve("control-plane")));
        controlPlane.start("-Dstarling.fleet.check-in-interval=2s",
                "-Dstarling.signing.root-key=" + work.resolve("root.pub.pem"));
        api = new ControlPlaneApi(controlPlane::url, keycloak);
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

    private static String rootFingerprint() throws Exception {
        Processes.Result r = admin.cli("keys", "fingerprint", work.resolve("root.pub.pem").toString());
        Matcher m = Pattern.compile("sha256 ([0-9a-f]{64})").matcher(r.output());
        assertThat(m.find()).as(r.output()).isTrue();
        return m.group(1);
    }

    /** GET /signing-keys to a file, signed offline, uploaded: the whole admin round trip. */
    private static JsonNode signAndUpload(String name, String... options) throws Exception {
        Path keys = work.resolve(name + "-keys.json");
        Files.write(keys, JSON.writeValueAsBytes(api.get("/signing-keys")));
        Path out = work.resolve(name + ".json");
        List<String> args = new ArrayList<>(List.of("keys", "sign", "--root", work.resolve("root.pem").toString(),
                "--keys", keys.toString(), "--out", out.toString()));
        args.addAll(List.of(options));
        Processes.Result signed = admin.cli(args.toArray(String[]::new));
        assertThat(signed.exitCode()).as(signed.output()).isZero();
        // The version is the time in seconds: one set per second at most.
        Thread.sleep(1100);
        return api.put("/signing-keys/key-set", Files.readAllBytes(out), 200);
    }

    private static AgentProcess agent(String name, String server, String token, String fingerprint) throws Exception {
        AgentProcess agent = new AgentProcess(REPO, work.resolve(name));
        agents.add(agent);
        return agent.enroll(server, token, "--root-key-fingerprint", fingerprint).start();
    }

    private static Map<String, Object> command(String script) {
        return Map.of("command", List.of("sh", "-c", script), "timeoutSeconds", 30);
    }

    @Test
    void agentsFollowARotationWithoutEnrollingAgainAndRefuseTheRevokedKey() throws Exception {
        String oldKey = api.get("/signing-keys").get(0).get("keyId").asText();
        JsonNode first = signAndUpload("keyset-1");
        assertThat(first.get("signingKeyId").asText()).isEqualTo(oldKey);

        String token = api.enrollmentToken(10);
        String fingerprint = rootFingerprint();
        AgentProcess a1 = agent("a1", controlPlane.url(), token, fingerprint);
        AgentProcess a2 = agent("a2", controlPlane.url(), token, fingerprint);
        // Fast-forward: whoever holds the online key while it is still trusted signs app 1.0 again with a
        // sequence far ahead, assignment and all, and a3 installs it. Every genuine release would then be
        // refused as a rollback, until the key set that revokes the key reaches a3.
        PrivateKey online = Ed25519Keys.readPrivateKey(Files.readString(
                work.resolve("control-plane/keys/manifest-signing.pem"), StandardCharsets.US_ASCII));
        TamperingProxy ahead = new TamperingProxy(controlPlane.url());
        AgentProcess a3 = agent("a3", ahead.url(), token, fingerprint);
        ahead.rewrite((path, body) -> path.endsWith("/check-in")
                ? resignWith(online, oldKey, "app", FAR_AHEAD, body, true) : body);
        api.publish("app", "1.0", "app.bin", TestBytes.random(2 * MiB), command("echo 1.0 > version.txt"));
        api.deploy("app", "1.0", a1.agentId(), a2.agentId(), a3.agentId());
        for (AgentProcess a : List.of(a1, a2, a3)) {
            api.awaitDeployment("app", "1.0", a, "INSTALLED", INSTALL_TIMEOUT);
        }
        ahead.rewrite((path, body) -> body);

        // Rotate: a new key, then a set that trusts it and revokes the old one.
        String newKey = api.post("/signing-keys", Map.of(), 201).get("keyId").asText();
        JsonNode second = signAndUpload("keyset-2", "--revoke", oldKey);
        assertThat(second.get("signingKeyId").asText()).isEqualTo(newKey);
        assertThat(second.get("revoked").get(0).asText()).isEqualTo(oldKey);

        api.publish("app", "2.0", "app.bin", TestBytes.random(2 * MiB), command("echo 2.0 > version.txt"));
        api.deploy("app", "2.0", a1.agentId(), a2.agentId(), a3.agentId());
        for (AgentProcess a : List.of(a1, a2, a3)) {
            api.awaitDeployment("app", "2.0", a, "INSTALLED", INSTALL_TIMEOUT);
            assertThat(Files.readString(a.installRoot().resolve("app/current/version.txt")).strip()).isEqualTo("2.0");
            assertThat(a.stateDir().resolve("keyset.json")).exists();
        }
        // No sequence named by the admin: a3 forgot what the revoked key vouched for on its own, and said so.
        String lowered = "sequence floor of app lowered from " + FAR_AHEAD + " to -1: key " + oldKey + " was revoked";
        assertThat(Files.readString(a3.log())).contains(lowered);
        // The agent tells the control plane on a later check-in than the one that reported the install.
        org.awaitility.Awaitility.await().atMost(INSTALL_TIMEOUT)
                .untilAsserted(() -> assertThat(controlPlane.log()).contains("Agent " + a3.agentId() + " says: " + lowered));
        a3.stop();
        ahead.close();

        // Someone holding the revoked key (here: the old key file) signs a release and slips it in.
        PrivateKey stolen = Ed25519Keys.readPrivateKey(Files.readString(
                work.resolve("control-plane/keys/manifest-signing.pem"), StandardCharsets.US_ASCII));
        try (TamperingProxy proxy = new TamperingProxy(controlPlane.url())) {
            AgentProcess m = agent("mitm", proxy.url(), token, fingerprint);
            // The manifest alone swapped: the genuine signed assignment names another manifest digest.
            proxy.rewrite((path, body) -> path.endsWith("/check-in") ? resignWith(stolen, oldKey, "forged", 0, body, false) : body);
            api.publish("forged", "1.0", "forged.bin", TestBytes.random(MiB), null);
            api.deploy("forged", "1.0", m.agentId());
            JsonNode d = api.awaitDeployment("forged", "1.0", m, "FAILED", INSTALL_TIMEOUT);
            assertThat(d.get("reason").asText()).isEqualTo("INVALID_DEPLOYMENT");

            // The manifest and the assignment both signed with the revoked key, as its holder can:
            // the agent trusts neither, so it acts on nothing in those answers.
            proxy.rewrite((path, body) -> path.endsWith("/check-in") ? resignWith(stolen, oldKey, "forged", 0, body, true) : body);
            api.publish("forged", "2.0", "forged.bin", TestBytes.random(MiB), null);
            api.deploy("forged", "2.0", m.agentId());
            org.awaitility.Awaitility.await().atMost(INSTALL_TIMEOUT).until(() -> Files.readString(m.log())
                    .contains("signed assignment is refused (BAD_SIGNATURE)"));
            assertThat(Files.readString(m.log())).contains("not signed by any trusted key (" + newKey + ")");
            assertThat(api.deploymentOf("forged", "2.0", m.agentId()).get("state").asText()).isIn("PENDING");
            assertThat(m.installRoot().resolve("forged")).doesNotExist();
            m.stop();
        }
    }

    /**
     * The check-in answer with {@code product}'s manifest signed again by {@code key}, named {@code keyId}.
     *
     * @param sequence the sequence the forged manifest says; 0 keeps the genuine one
     */
    private static byte[] resignWith(PrivateKey key, String keyId, String product, long sequence, byte[] checkIn,
                                     boolean assignmentToo) {
        try {
            ObjectNode response = (ObjectNode) JSON.readTree(checkIn);
            Map<String, String> digests = new java.util.HashMap<>();
            for (JsonNode d : response.path("deployments")) {
                if (product.equals(d.path("product").asText())) {
                    Manifest genuine = CanonicalJson.read(Base64.getDecoder().decode(d.get("manifest").asText()), Manifest.class);
                    Manifest changed = sequence == 0 ? genuine : new Manifest(genuine.format(), genuine.product(),
                            genuine.version(), sequence, genuine.artifacts(), genuine.install(), genuine.createdAt(),
                            genuine.expiresAt(), genuine.keyId());
                    SignedManifest forged = new ManifestSigner(key, keyId).sign(changed.withKeyId(keyId));
                    ((ObjectNode) d).put("manifest", Base64.getEncoder().encodeToString(forged.bytes()));
                    ((ObjectNode) d).put("signature", Base64.getEncoder().encodeToString(forged.signature()));
                    digests.put(d.get("id").asText(), AssignmentSigner.manifestDigest(forged.bytes()));
                }
            }
            if (assignmentToo && response.hasNonNull("assignment")) {
                Assignment genuine = AssignmentVerifier.read(JSON.treeToValue(response.get("assignment"), SignedAssignment.class));
                List<AssignedDeployment> named = genuine.deployments().stream()
                        .map(a -> digests.containsKey(a.id()) ? new AssignedDeployment(a.id(), a.product(), a.version(),
                                a.sequence(), digests.get(a.id()), a.downloadOnly(), a.cancelled()) : a)
                        .toList();
                SignedAssignment forged = new AssignmentSigner(key, keyId).sign(new Assignment(genuine.format(),
                        genuine.agentId(), genuine.sequence(), genuine.issuedAt(), genuine.expiresAt(), keyId, named));
                response.set("assignment", JSON.valueToTree(forged));
            }
            return JSON.writeValueAsBytes(response);
        } catch (java.io.IOException e) {
            return checkIn;
        }
    }
}
