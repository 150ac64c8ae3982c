package io.starling.e2e;

import static io.starling.e2e.HostileControlPlane.respond;
import static io.starling.e2e.HostileControlPlane.signed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.starling.protocol.agent.CheckInRequest;
import io.starling.protocol.agent.DeploymentState;
import io.starling.protocol.agent.DeploymentStatusReport;
import io.starling.protocol.agent.DesiredDeployment;
import io.starling.protocol.assignment.AssignmentSigner;
import io.starling.protocol.manifest.Ed25519Keys;
import io.starling.protocol.manifest.Manifest;
import io.starling.protocol.manifest.ManifestSigner;
import io.starling.protocol.manifest.SignedManifest;
import io.starling.protocol.testing.ManifestBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged agent, as its own process, enrolled against a control plane that turns on it.
 * The control plane holds the very key the agent pinned at enrollment (stolen, or simply the
 * one a man in the middle offered), and sends in turn: deployment names that are paths out of
 * the agent's folders, assignments that are forged, missing, another agent's or expired, a
 * manifest with a bad signature, an endless answer, an answer trickled in a byte at a time, and
 * then no answers at all. The agent's folders sit deep in a tree of sentinel files and folders
 * that must come out untouched; nothing is installed; the agent stays up, keeps checking in,
 * tells the control plane what it refused, and logs each refusal once.
 */
class HostileControlPlaneIT {

    private static final Path REPO = Path.of(System.getProperty("starling.repo", "..")).toAbsolutePath().normalize();
    private static final Duration STEP = Duration.ofSeconds(30);
    /** The agent's cap on a check-in answer (its BoundedBody), and the request deadline set here. */
    private static final long CHECK_IN_CAP = 4L * 1024 * 1024;
    private static final Duration DEADLINE = Duration.ofSeconds(3);
    /**
     * How long each assignment stays valid: longer than any step below keeps the agent without
     * an accepted one (the trickled answer: the deadline plus a back-off), so that it freezes
     * only where the test withholds answers.
     */
    private static final Duration VALIDITY = Duration.ofSeconds(10);

    @TempDir
    Path root;

    private AgentProcess agent;

    @AfterEach
    void stop() throws InterruptedException {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void aHostileControlPlaneChangesNothingOutsideTheAgentInstallsNothingAndEveryRefusalIsReportedAndLoggedOnce()
            throws Exception {
        Path home = root.resolve("a/b/c/agent");
        plantSentinels();
        Map<Path, String> before;
        try (HostileControlPlane server = new HostileControlPlane()) {
            // Short-lived assignments, renewed at every check-in: withheld answers freeze the agent soon.
            server.validity(VALIDITY);
            agent = new AgentProcess(REPO, home)
                    .with("STARLING_AGENT_CHECK_IN_REQUEST_DEADLINE", DEADLINE.toSeconds() + "s")
                    .with("STARLING_AGENT_CHECK_IN_MIN_BACKOFF", "200ms")
                    .with("STARLING_AGENT_CHECK_IN_MAX_BACKOFF", "1s");
            agent.enroll(server.url(), "any-token", "--manifest-key-fingerprint", server.keyFingerprint());
            before = outsideTheAgent(home);
            agent.start();
            // A first genuine assignment: from it on the agent knows how late it is by the control plane's clock.
            awaitCheckIn(server, r -> r.assignment() != null && r.assignment().sequence() != null);

            // 1. Names that are paths. Signed into the assignment too: the key holder can sign anything.
            Manifest editor = ManifestBuilder.manifest().product("editor").version("1.0").sequence(1)
                    .expiresAt(Instant.now().plus(Duration.ofDays(1))).build();
            Map<String, DesiredDeployment> paths = new TreeMap<>();
            paths.put(uuid(1), deployment(uuid(1), "editor", "../../../..", editor, server));
            paths.put(uuid(2), deployment(uuid(2), "../../../etc", "1.0", editor, server));
            paths.put(uuid(3), deployment(uuid(3), "Editor Pro!", "1.0", editor, server));
            paths.put(uuid(4), deployment(uuid(4), "a/b", "1.0", editor, server));
            paths.put(uuid(5), deployment(uuid(5), "editor", root.resolve("a").toString(), editor, server));
            String badId = "../../../etc";
            List<DesiredDeployment> pathAnswer = new ArrayList<>(paths.values());
            pathAnswer.add(deployment(badId, "editor", "1.0", editor, server));
            server.once(signed(pathAnswer));
            await().atMost(STEP).untilAsserted(() -> {
                for (String id : paths.keySet()) {
                    assertThat(server.reportsOf(id)).as(id).singleElement().satisfies(r -> {
                        assertThat(r.report().state()).isEqualTo(DeploymentState.FAILED);
                        assertThat(r.report().reason()).isEqualTo(DeploymentStatusReport.INVALID_DEPLOYMENT);
                    });
                }
            });

            // 2. Assignments the agent must not act on, each naming a genuine-looking deployment.
            DesiredDeployment lure = deployment(uuid(10), "editor", "1.0", editor, server);
            AssignmentSigner forger = new AssignmentSigner(Ed25519Keys.generate().getPrivate(), "forged0000000000");
            AssignmentSigner pinned = new AssignmentSigner(server.keys.getPrivate(), Ed25519Keys.keyId(server.keys.getPublic()));
            Instant now = Instant.now();
            Map<String, HostileControlPlane.Answer> assignments = new LinkedHashMap<>();
            assignments.put("BAD_SIGNATURE", (s, ex) -> respond(ex, 200, s.answer(List.of(lure),
                    s.assignment(s.agentId, now, Duration.ofHours(1), List.of(lure), forger))));
            assignments.put("MISSING", (s, ex) -> respond(ex, 200, s.answer(List.of(lure), null)));
            assignments.put("OTHER_AGENT", (s, ex) -> respond(ex, 200, s.answer(List.of(lure),
                    s.assignment(UUID.randomUUID().toString(), now, Duration.ofHours(1), List.of(lure), pinned))));
            assignments.put("EXPIRED", (s, ex) -> respond(ex, 200, s.answer(List.of(lure),
                    s.assignment(s.agentId, now.minus(Duration.ofHours(2)), Duration.ofHours(1), List.of(lure), pinned))));
            for (var a : assignments.entrySet()) {
                server.once(a.getValue());
                awaitCheckIn(server, r -> r.assignment() != null && r.assignment().problem() != null
                        && r.assignment().problem().startsWith(a.getKey() + ": "));
            }
            assertThat(server.reportsOf(lure.id())).as("nothing started under a refused assignment").isEmpty();

            // 3. A manifest whose signature does not verify, under a valid assignment that names it.
            Manifest viewer = ManifestBuilder.manifest().product("viewer").version("2.0").sequence(1)
                    .expiresAt(Instant.now().plus(Duration.ofDays(1))).build();
            DesiredDeployment badSignature = withSignatureFlipped(deployment(uuid(20), "viewer", "2.0", viewer, server));
            server.once(signed(List.of(badSignature)));
            await().atMost(STEP).untilAsserted(() -> assertThat(server.reportsOf(badSignature.id())).singleElement()
                    .satisfies(r -> assertThat(r.report().reason()).isEqualTo("BAD_SIGNATURE")));

            // 4. Endless data: an answer past the agent's cap, streamed, never announced.
            byte[] junk = " ".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
            server.once(HostileControlPlane.streaming(junk, 2 * CHECK_IN_CAP, Duration.ZERO));
            awaitFailureReported(server, "longer than " + CHECK_IN_CAP + " bytes");

            // 5. Slow retrieval: headers at once, then a byte every 200 ms; the request deadline cuts it.
            Instant slowFrom = Instant.now();
            server.once(HostileControlPlane.streaming(new byte[] {' '}, 1_000_000, Duration.ofMillis(200)));
            awaitFailureReported(server, "did not arrive in full before the request deadline");
            assertThat(Duration.between(slowFrom, Instant.now())).isLessThan(DEADLINE.multipliedBy(5));

            // 6. Freeze: no answers at all, until the last assignment has expired.
            server.withhold(true);
            List<CheckInRequest> sent = server.checkIns();
            Instant heldBefore = sent.get(sent.size() - 1).assignment().validUntil();
            String frozenAt = await().atMost(STEP).pollInterval(Duration.ofMillis(200))
                    .until(() -> agent.status().path("assignment"), a -> a.path("frozen").asBoolean())
                    .path("validUntil").asText();
            server.withhold(false);
            // The first check-in that gets through says so, and since when.
            CheckInRequest thawing = awaitCheckIn(server, r -> r.assignment() != null && r.assignment().frozen());
            assertThat(thawing.assignment().frozenSince()).isEqualTo(Instant.parse(frozenAt))
                    .isAfterOrEqualTo(heldBefore).isBefore(Instant.now());
            assertThat(thawing.assignment().lastFailure()).contains("503");
            awaitCheckIn(server, r -> r.assignment() != null && !r.assignment().frozen());

            // Still up, still checking in.
            int count = server.checkIns().size();
            await().atMost(STEP).until(() -> server.checkIns().size() >= count + 3);
            assertThat(agent.alive()).isTrue();
        }

        assertThat(outsideTheAgent(home)).as("files and folders outside the agent's state and install folders")
                .isEqualTo(before);
        assertThat(installed()).as("anything under the install root").isEmpty();
        List<String> log = Files.readAllLines(agent.log());
        for (String id : List.of(uuid(1), uuid(2), uuid(3), uuid(4), uuid(5))) {
            assertOneLine(log, l -> l.contains("Refusing deployment " + id));
        }
        assertOneLine(log, l -> l.contains("Ignoring a deployment") && l.contains("'../../../etc'"));
        for (String reason : List.of("BAD_SIGNATURE", "MISSING", "OTHER_AGENT", "EXPIRED")) {
            assertOneLine(log, l -> l.contains("its signed assignment is refused (" + reason + ")"));
        }
        assertOneLine(log, l -> l.contains("Deployment " + uuid(20)) && l.contains("failed: BAD_SIGNATURE"));
        assertOneLine(log, l -> l.contains("longer than " + CHECK_IN_CAP + " bytes"));
        assertOneLine(log, l -> l.contains("did not arrive in full before the request deadline"));
        assertOneLine(log, l -> l.contains("Frozen: no valid signed assignment since"));
    }

    // --- the scene ---------------------------------------------------------------------------

    /** Files and folders around (and above) the agent's home, where every path trick above points. */
    private void plantSentinels() throws IOException {
        for (String dir : List.of("a/etc", "a/b/etc", "a/b/c/etc", "etc", "a/b/c/agent/etc")) {
            Files.createDirectories(root.resolve(dir));
            Files.writeString(root.resolve(dir).resolve("passwd"), "root:x:0:0::/root:/bin/sh\n");
        }
        Files.writeString(root.resolve("a/b/c/sentinel.txt"), "still here");
        Files.writeString(root.resolve("a/sentinel.txt"), "still here");
        Files.createDirectories(root.resolve("a/b/1.0"));
    }

    /**
     * Everything under the test's folder but the agent's state and install folders and its log:
     * path, kind, permissions, size and content digest.
     */
    private Map<Path, String> outsideTheAgent(Path home) throws IOException {
        Map<Path, String> seen = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.filter(p -> !p.startsWith(home.resolve("state")) && !p.startsWith(home.resolve("installed"))
                    && !p.equals(home.resolve("agent.log"))).toList()) {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                seen.put(root.relativize(p), (a.isDirectory() ? "d" : a.isSymbolicLink() ? "l" : "f") + " "
                        + PosixFilePermissions.toString(a.permissions()) + " " + a.size()
                        + (a.isRegularFile() ? " " + Arrays.hashCode(Files.readAllBytes(p)) : ""));
            }
        }
        return seen;
    }

    private List<Path> installed() throws IOException {
        if (!Files.exists(agent.installRoot())) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(agent.installRoot())) {
            return all.filter(p -> !p.equals(agent.installRoot())).toList();
        }
    }

    // --- helpers -------------------------------------------------------------------------------

    /** What the control plane lists: the names as given, the manifest genuinely signed with the pinned key. */
    private static DesiredDeployment deployment(String id, String product, String version, Manifest manifest,
            HostileControlPlane server) {
        SignedManifest signed = new ManifestSigner(server.keys).sign(manifest);
        Base64.Encoder b64 = Base64.getEncoder();
        return new DesiredDeployment(id, product, version, DeploymentState.PENDING, b64.encodeToString(signed.bytes()),
                b64.encodeToString(signed.signature()), List.of(), null);
    }

    private static DesiredDeployment withSignatureFlipped(DesiredDeployment d) {
        byte[] signature = Base64.getDecoder().decode(d.signature());
        signature[0] ^= 1;
        return new DesiredDeployment(d.id(), d.product(), d.version(), d.state(), d.manifest(),
                Base64.getEncoder().encodeToString(signature), d.artifacts(), d.install());
    }

    /** The first check-in request from now on that matches. */
    private static CheckInRequest awaitCheckIn(HostileControlPlane server, Predicate<CheckInRequest> matches) {
        int from = server.checkIns().size();
        return await().atMost(STEP).pollInterval(Duration.ofMillis(100))
                .until(() -> server.checkIns().stream().skip(from).filter(matches).findFirst().orElse(null),
                        Objects::nonNull);
    }

    /** The agent tells the control plane, at its next check-in, why the previous one failed. */
    private static void awaitFailureReported(HostileControlPlane server, String why) {
        awaitCheckIn(server, r -> r.assignment() != null && r.assignment().lastFailure() != null
                && r.assignment().lastFailure().contains(why));
    }

    private static void assertOneLine(List<String> log, Predicate<String> line) {
        assertThat(log.stream().filter(line).toList()).as("log lines").hasSize(1);
    }

    private static String uuid(int n) {
        return new UUID(0x1234_5678_9abc_4defL, 0x8000_0000_0000_0000L | n).toString();
    }
}
