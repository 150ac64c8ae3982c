package io.starling.controlplane.checkin;

import static io.starling.controlplane.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.starling.controlplane.peertls.PeerCertificates;
import io.starling.controlplane.peertls.SwarmCa;
import io.starling.controlplane.seed.OriginSeeder;
import io.starling.controlplane.signing.SigningKey;
import io.starling.controlplane.testing.Api;
import io.starling.controlplane.testing.Fleet;
import io.starling.controlplane.testing.Tokens;
import io.starling.protocol.agent.CheckInRequest;
import io.starling.protocol.agent.InstalledRelease;
import io.starling.protocol.agent.SignedAssignment;
import io.starling.protocol.assignment.AssignedDeployment;
import io.starling.protocol.assignment.Assignment;
import io.starling.protocol.assignment.AssignmentSigner;
import io.starling.protocol.assignment.AssignmentVerifier;
import jakarta.inject.Inject;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Inventory in, desired state out. Sites here use 172.25.2xx.0/24 only. */
@QuarkusTest
class CheckInTest {

    private static final java.util.concurrent.atomic.AtomicInteger SUBNET = new java.util.concurrent.atomic.AtomicInteger(200);

    @Inject
    SigningKey signingKey;

    @Inject
    OriginSeeder seeder;

    @Inject
    CheckIns checkIns;

    @Inject
    SwarmCa swarmCa;

    @Test
    void aCheckInStoresTheInventoryAdminsThenSee() {
        Fleet.Enrolled agent = Fleet.enroll(null);
        CheckInRequest inventory = new CheckInRequest("0.2.0", "renamed-host", "10.0.0.9", 123_456_789L,
                List.of(new InstalledRelease("office-suite", "2.4.0", 2, true)), List.of("ignored"));
        as(agent.token()).contentType(ContentType.JSON).body(inventory).post("/api/agent/v1/check-in")
                .then().statusCode(200).body("agentId", equalTo(agent.agentId()));
        as(Tokens.viewer()).get("/api/v1/agents/{id}", agent.agentId()).then().statusCode(200)
                .body("hostname", equalTo("renamed-host"))
                .body("agentVersion", equalTo("0.2.0"))
                .body("freeDiskBytes", equalTo(123_456_789))
                .body("lastAddress", equalTo("127.0.0.1"))
                .body("installed[0].product", equalTo("office-suite"))
                .body("installed[0].version", equalTo("2.4.0"))
                .body("installed[0].sequence", equalTo(2))
                .body("installed[0].active", equalTo(true))
                .body("labels", not(hasItem("ignored")));
    }

    @Test
    void anAgentThatSaysItIsFrozenIsShownFrozenSinceItsAssignmentExpiredUntilItSaysOtherwise() {
        Fleet.Enrolled agent = Fleet.enroll(null);
        Map<String, Object> frozen = Map.of("agentVersion", "0.2.0", "freeDiskBytes", 1, "assignment", Map.of(
                "sequence", 7, "validUntil", "2026-12-06T10:00:00Z", "frozenSince", "2026-12-06T10:00:00Z",
                "problem", "EXPIRED: issued at 2026-12-06T09:00:00Z,\nexpired at 2026-12-06T10:00:00Z",
                "lastFailure", "POST /api/agent/v1/check-in: 503 withheld"));
        as(agent.token()).contentType(ContentType.JSON).body(frozen).post("/api/agent/v1/check-in").then().statusCode(200);
        as(Tokens.viewer()).get("/api/v1/agents/{id}", agent.agentId()).then().statusCode(200)
                .body("frozenSince", equalTo("2026-12-06T10:00:00Z"))
                .body("assignmentValidUntil", equalTo("2026-12-06T10:00:00Z"))
                .body("assignmentProblem", equalTo("EXPIRED: issued at 2026-12-06T09:00:00Z, expired at 2026-12-06T10:00:00Z"));

        Map<String, Object> thawed = Map.of("agentVersion", "0.2.0", "freeDiskBytes", 1, "assignment", Map.of(
                "sequence", 8, "validUntil", "2026-12-06T12:00:00Z"));
        as(agent.token()).contentType(ContentType.JSON).body(thawed).post("/api/agent/v1/check-in").then().statusCode(200);
        as(Tokens.viewer()).get("/api/v1/agents/{id}", agent.agentId()).then().statusCode(200)
                .body("frozenSince", equalTo(null))
                .body("assignmentValidUntil", equalTo("2026-12-06T12:00:00Z"))
                .body("assignmentProblem", equalTo(null));
    }

    @Test
    void theAnswerCarriesKeysSiteRangesTheOriginAndAJitteredNextTime() {
        String site = Api.newSite("checkin", "172.25." + SUBNET.getAndIncrement() + ".0/24", "2001:db8:2500::/48");
        Fleet.Enrolled agent = Fleet.enroll(site);
        Instant before = Instant.now();
        var answer = Fleet.checkIn(agent).then().statusCode(200)
                .body("site", equalTo(site))
                .body("deployments", equalTo(List.of()))
                .body("manifestKeys[0].keyId", equalTo(signingKey.keyId()))
                .body("peerSources.siteCidrs", equalTo(List.of("172.25." + (SUBNET.get() - 1) + ".0/24", "2001:db8:2500::/48")))
                .extract().jsonPath();
        var origin = seeder.advertisedAddress().orElseThrow();
        var originSsl = seeder.advertisedSslAddress().orElseThrow();
        assertThat(answer.getList("peerSources.originPeers", String.class)).as("plain, and TLS for SSL torrents")
                .containsExactly(origin.getAddress().getHostAddress() + ":" + origin.getPort(),
                        originSsl.getAddress().getHostAddress() + ":" + originSsl.getPort());
        Instant next = Instant.parse(answer.getString("nextCheckInAt"));
        // 60 s ± 20 %
        assertThat(next).isBetween(before.plusSeconds(47), Instant.now().plusSeconds(73));
        // The control plane's clock comes along, so that an agent whose clock is off keeps the pace.
        Instant serverTime = Instant.parse(answer.getString("serverTime"));
        assertThat(serverTime).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
        assertThat(Duration.between(serverTime, next).toMillis()).isBetween(48_000L, 72_000L);
    }

    @Test
    void nextCheckInTimesSpreadOut() {
        Instant now = Instant.now();
        List<Instant> times = java.util.stream.IntStream.range(0, 50).mapToObj(i -> checkIns.next(now)).toList();
        assertThat(times).allSatisfy(t -> assertThat(Duration.between(now, t).toMillis()).isBetween(48_000L, 72_000L));
        assertThat(times.stream().distinct().count()).isGreaterThan(40);
    }

    @Test
    void withoutASiteOnTheTokenTheAddressDecides() {
        // 127.0.0.1 is on no site in these tests.
        Fleet.Enrolled agent = Fleet.enroll(null);
        Fleet.checkIn(agent).then().statusCode(200)
                .body("site", equalTo(null))
                .body("peerSources.siteCidrs", equalTo(List.of()));
    }

    @Test
    void anAgentThatSendsItsSwarmKeyGetsACertificateFromTheSwarmCaNamingItAndNoneOtherwise() throws Exception {
        Fleet.Enrolled agent = Fleet.enroll(null);
        KeyPair keys = PeerCertificates.newKeyPair();
        String key = Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());

        String pem = as(agent.token()).contentType(ContentType.JSON)
                .body(new CheckInRequest("0.2.0", "h", null, 1, List.of(), List.of(), null, key))
                .post("/api/agent/v1/check-in").then().statusCode(200).extract().jsonPath().getString("peerCertificate");

        X509Certificate cert = PeerCertificates.certificate(pem);
        cert.verify(PeerCertificates.certificate(swarmCa.certificatePem()).getPublicKey());
        assertThat(cert.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(cert.getSubjectX500Principal().getName()).contains("agent " + agent.agentId());
        assertThat(Duration.between(Instant.now(), cert.getNotAfter().toInstant())).isBetween(Duration.ofHours(23),
                Duration.ofHours(25));
        Fleet.checkIn(agent).then().statusCode(200).body("peerCertificate", org.hamcrest.Matchers.nullValue());
        as(agent.token()).contentType(ContentType.JSON)
                .body(new CheckInRequest("0.2.0", "h", null, 1, List.of(), List.of(), null, "bm90IGEga2V5"))
                .post("/api/agent/v1/check-in").then().statusCode(400).body("detail", containsString("peerPublicKey"));
    }

    @Test
    void aBadInventoryIsRefusedWithTheReason() {
        Fleet.Enrolled agent = Fleet.enroll(null);
        as(agent.token()).contentType(ContentType.JSON)
                .body(new CheckInRequest("0.1", "h", null, -1, List.of(), List.of()))
                .post("/api/agent/v1/check-in").then().statusCode(400).body("detail", containsString("freeDiskBytes"));
        as(agent.token()).contentType(ContentType.JSON)
                .body(new CheckInRequest("0.1", "h", null, 1, List.of(new InstalledRelease("../etc", "1", 1, true)), List.of()))
                .post("/api/agent/v1/check-in").then().statusCode(400).body("detail", containsString("product name"));
        as(agent.token()).contentType(ContentType.JSON).body("{\"installed\": [null], \"freeDiskBytes\": 1}")
                .post("/api/agent/v1/check-in").then().statusCode(400)
                .contentType(org.hamcrest.Matchers.startsWith("application/problem+json"));
        as(agent.token()).contentType(ContentType.JSON).body("").post("/api/agent/v1/check-in").then().statusCode(400);
    }

    @Test
    void checkInsAreNotAuditedButRefusedOnesAre() {
        Fleet.Enrolled agent = Fleet.enroll(null);
        Fleet.checkIn(agent).then().statusCode(200);
        as(Tokens.admin()).get("/api/v1/audit?limit=1000&actor={a}", agent.clientId()).then().statusCode(200)
                .body("target", not(hasItem("/api/agent/v1/check-in")));
        as(Tokens.admin()).post("/api/v1/agents/{id}/revoke", agent.agentId()).then().statusCode(200);
        Fleet.checkIn(agent).then().statusCode(401);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                as(Tokens.admin()).get("/api/v1/audit?limit=1000&actor={a}", agent.clientId()).then()
                        .body("target", hasItem("/api/agent/v1/check-in")));
    }

    @Test
    void theAnswerCarriesAShortLivedStatementSignedForThisAgentOnly() {
        Fleet.Enrolled agent = Fleet.enroll(null);
        Instant before = Instant.now();
        SignedAssignment signed = statementOf(Fleet.checkIn(agent).then().statusCode(200).extract().jsonPath());

        Assignment a = verifier().verify(signed, agent.agentId(), Instant.now(), null);
        assertThat(a.deployments()).isEmpty();
        assertThat(a.keyId()).isEqualTo(signingKey.keyId());
        assertThat(Duration.between(a.issuedAt(), a.expiresAt())).isEqualTo(Duration.ofHours(1));
        assertThat(a.issuedAt()).isBetween(before.minusSeconds(1), Instant.now());
        Fleet.Enrolled other = Fleet.enroll(null);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> verifier().verify(signed, other.agentId(), Instant.now(), null))
                .hasMessageContaining("not to this agent");
    }

    @Test
    void theStatementIsSignedAgainOnlyWhenTheAgentsAssignmentChanges() {
        String product = published("statement");
        Fleet.Enrolled agent = Fleet.enroll(null);
        SignedAssignment empty = statementOf(Fleet.checkIn(agent).then().statusCode(200).extract().jsonPath());
        assertThat(statementOf(Fleet.checkIn(agent).then().extract().jsonPath())).as("nothing changed: same signature")
                .isEqualTo(empty);

        String id = Fleet.deploy(product, "1.0", agent).get(0);
        JsonPath answer = Fleet.checkIn(agent).then().statusCode(200).extract().jsonPath();
        Assignment assigned = verifier().verify(statementOf(answer), agent.agentId(), Instant.now(),
                read(empty));
        assertThat(assigned.sequence()).isGreaterThan(read(empty).sequence());
        String manifestDigest = AssignmentSigner.manifestDigest(Base64.getDecoder().decode(answer.getString("deployments[0].manifest")));
        assertThat(assigned.deployments()).containsExactly(
                new AssignedDeployment(id, product, "1.0", 1, manifestDigest, false, false));

        as(Tokens.operator()).post("/api/v1/deployments/{id}/cancel", id).then().statusCode(200);
        Assignment cancelled = verifier().verify(statementOf(Fleet.checkIn(agent).then().extract().jsonPath()),
                agent.agentId(), Instant.now(), assigned);
        assertThat(cancelled.sequence()).isGreaterThan(assigned.sequence());
        assertThat(cancelled.deployments()).singleElement().satisfies(d -> assertThat(d.cancelled()).isTrue());
        // The answer before the cancellation, replayed, is refused by an agent that saw it.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> verifier().verify(statementOf(answer), agent.agentId(),
                Instant.now(), cancelled)).hasMessageContaining("not newer");
    }

    @Test
    void theAgentsOfADeploymentAreEachToldADifferentStripeOfPiecesToAskForFirst() {
        String product = published("stripes");
        Fleet.Enrolled first = Fleet.enroll(null);
        Fleet.Enrolled second = Fleet.enroll(null);
        Fleet.deploy(product, "1.0", first, second);

        JsonPath a = Fleet.checkIn(first).then().statusCode(200).extract().jsonPath();
        JsonPath b = Fleet.checkIn(second).then().statusCode(200).extract().jsonPath();

        assertThat(a.getInt("deployments[0].stripe.count")).isEqualTo(2);
        assertThat(b.getInt("deployments[0].stripe.count")).isEqualTo(2);
        assertThat(a.getInt("deployments[0].stripe.siteCount")).isEqualTo(1);
        assertThat(java.util.Set.of(a.getInt("deployments[0].stripe.index"), b.getInt("deployments[0].stripe.index")))
                .containsExactlyInAnyOrder(0, 1);
    }

    /** A new product with release 1.0 published: its name. */
    private static String published(String name) {
        String product = Api.newProduct(name);
        Api.newRelease(product, "1.0");
        Api.upload(product, "1.0", "setup.bin", Api.bytes(1000));
        Api.publish(product, "1.0");
        return product;
    }

    private AssignmentVerifier verifier() {
        return new AssignmentVerifier(Map.of(signingKey.keyId(), signingKey.publicKey()));
    }

    private static SignedAssignment statementOf(JsonPath answer) {
        return new SignedAssignment(answer.getString("assignment.statement"), answer.getString("assignment.signature"));
    }

    private static Assignment read(SignedAssignment signed) {
        return AssignmentVerifier.read(signed);
    }
}
