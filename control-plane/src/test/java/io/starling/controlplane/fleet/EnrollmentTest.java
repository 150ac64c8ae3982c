package io.starling.controlplane.fleet;

import static io.restassured.RestAssured.given;
import static io.starling.controlplane.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.starling.controlplane.peertls.PeerCertificates;
import io.starling.controlplane.peertls.SwarmCa;
import io.starling.controlplane.signing.SigningKey;
import io.starling.controlplane.testing.Api;
import io.starling.controlplane.testing.Fleet;
import io.starling.controlplane.testing.InMemoryAgentCredentials;
import io.starling.controlplane.testing.Tokens;
import io.starling.protocol.agent.EnrollRequest;
import jakarta.inject.Inject;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Enrollment tokens and enrolling with them. Sites here use 172.25.N.0/24 only: the database is shared. */
@QuarkusTest
class EnrollmentTest {

    private static final java.util.concurrent.atomic.AtomicInteger SUBNET = new java.util.concurrent.atomic.AtomicInteger(10);

    @Inject
    InMemoryAgentCredentials credentials;

    @Inject
    SigningKey signingKey;

    @Inject
    SwarmCa swarmCa;

    static String newSite() {
        return Api.newSite("enroll", "172.25." + SUBNET.getAndIncrement() + ".0/24");
    }

    private static ValidatableResponse enroll(String token, String hostname, String... labels) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("token", token, "hostname", hostname, "agentVersion", "0.1.0", "labels", List.of(labels)))
                .post("/api/agent/v1/enroll").then();
    }

    private static String tokenId(String value) {
        return QuarkusTransaction.requiringNew().call(() -> EnrollmentToken.<EnrollmentToken>find("tokenHash",
                EnrollmentTokens.hash(value)).firstResult().id.toString());
    }

    @Test
    void anAdminCreatesATokenAndSeesItsValueOnlyOnce() {
        String site = newSite();
        var created = as(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("uses", 3, "expiresInSeconds", 3600, "site", site, "labels", List.of("floor-3", "finance")))
                .post("/api/v1/enrollment-tokens")
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/enrollment-tokens/"))
                .header("Cache-Control", "no-store")
                .body("usesTotal", equalTo(3)).body("usesLeft", equalTo(3))
                .body("site", equalTo(site)).body("labels", equalTo(List.of("finance", "floor-3")))
                .body("status", equalTo("ACTIVE")).body("createdBy", equalTo("admin"))
                .extract().jsonPath();
        String value = created.getString("token");
        String id = created.getString("id");
        // 256 random bits, URL-safe base64 without padding.
        assertThat(value).matches("[A-Za-z0-9_-]{43}");
        assertThat(Instant.parse(created.getString("expiresAt"))).isBetween(Instant.now().plusSeconds(3500),
                Instant.now().plusSeconds(3700));

        for (String reader : List.of(Tokens.admin(), Tokens.viewer())) {
            as(reader).get("/api/v1/enrollment-tokens").then().statusCode(200)
                    .body("id", hasItem(id))
                    .body("token", everyItem(nullValue()));
            as(reader).get("/api/v1/enrollment-tokens/{id}", id).then().statusCode(200)
                    .body("usesLeft", equalTo(3)).body("token", nullValue());
        }
        // Only the hash is stored.
        String stored = QuarkusTransaction.requiringNew().call(() ->
                EnrollmentToken.<EnrollmentToken>findById(UUID.fromString(id)).tokenHash);
        assertThat(stored).isEqualTo(EnrollmentTokens.hash(value)).doesNotContain(value);
    }

    @Test
    void aTokenWithNothingSetIsForOneMachineForADay() {
        as(Tokens.admin()).contentType(ContentType.JSON).body("{}").post("/api/v1/enrollment-tokens").then().statusCode(201)
                .body("usesTotal", equalTo(1)).body("labels", equalTo(List.of())).body("site", nullValue());
    }

    @Test
    void tokenRequestsOutOfBoundsAreRefusedWithTheReason() {
        as(Tokens.admin()).contentType(ContentType.JSON).body(Map.of("uses", 0)).post("/api/v1/enrollment-tokens")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("uses"));
        as(Tokens.admin()).contentType(ContentType.JSON).body(Map.of("uses", 10_001)).post("/api/v1/enrollment-tokens")
                .then().statusCode(400);
        as(Tokens.admin()).contentType(ContentType.JSON).body(Map.of("expiresInSeconds", 31L * 24 * 3600))
                .post("/api/v1/enrollment-tokens").then().statusCode(400).body("detail", containsString("expiresInSeconds"));
        as(Tokens.admin()).contentType(ContentType.JSON).body(Map.of("labels", List.of("../etc")))
                .post("/api/v1/enrollment-tokens").then().statusCode(400).body("detail", containsString("1 to 64 characters"));
        as(Tokens.admin()).contentType(ContentType.JSON).body(Map.of("uses", "many")).post("/api/v1/enrollment-tokens")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("not valid JSON"));
        as(Tokens.admin()).contentType(ContentType.JSON).body(Map.of("site", "atlantis"))
                .post("/api/v1/enrollment-tokens").then().statusCode(400).body("detail", containsString("No site 'atlantis'"));
    }

    @Test
    void aMachineEnrollsAndGetsItsIdentityPasskeyAndTheManifestKeys() {
        String site = newSite();
        String token = Fleet.newToken(2, site, "finance");
        var answer = enroll(token, "ws-berlin-042", "floor-3", "finance")
                .statusCode(201)
                .header("Cache-Control", "no-store")
                .body("site", equalTo(site))
                .body("labels", equalTo(List.of("finance", "floor-3")))
                .body("tokenUrl", equalTo(tokenUrl()))
                .body("manifestKeys[0].keyId", equalTo(signingKey.keyId()))
                .body("manifestKeys[0].publicKey", startsWith("-----BEGIN PUBLIC KEY-----"))
                .extract().jsonPath();
        String agentId = answer.getString("agentId");
        String clientId = answer.getString("clientId");
        assertThat(clientId).isEqualTo("starling-agent-" + agentId);
        assertThat(credentials.exists(clientId)).isTrue();
        assertThat(answer.getString("clientSecret")).isNotBlank();
        assertThat(answer.getString("passkey")).matches("[A-Za-z0-9_-]{32}");

        as(Tokens.viewer()).get("/api/v1/agents/{id}", agentId).then().statusCode(200)
                .body("hostname", equalTo("ws-berlin-042"))
                .body("clientId", equalTo(clientId))
                .body("site", equalTo(site))
                .body("labels", equalTo(List.of("finance", "floor-3")))
                .body("state", equalTo("ACTIVE"))
                .body("agentVersion", equalTo("0.1.0"))
                .body("enrolledAt", notNullValue())
                .body("lastCheckIn", notNullValue())
                .body("lastAddress", equalTo("127.0.0.1"));
        // The passkey belongs to the agent, on the token's site.
        as(Tokens.admin()).get("/api/v1/passkeys").then().statusCode(200)
                .body("find { it.passkey == '" + answer.getString("passkey") + "' }.owner", equalTo("agent:" + agentId))
                .body("find { it.passkey == '" + answer.getString("passkey") + "' }.site", equalTo(site));
        as(Tokens.admin()).get("/api/v1/enrollment-tokens/{id}", tokenId(token)).then().body("usesLeft", equalTo(1));
    }

    @Test
    void aMachineThatSendsItsSwarmKeyGetsItsFirstPeerCertificateWithTheEnrollmentAnswer() throws Exception {
        String token = Fleet.newToken(2, null);
        KeyPair keys = PeerCertificates.newKeyPair();
        var answer = given().contentType(ContentType.JSON)
                .body(new EnrollRequest(token, "ws-ssl", "0.1.0", List.of(),
                        Base64.getEncoder().encodeToString(keys.getPublic().getEncoded())))
                .post("/api/agent/v1/enroll").then().statusCode(201).extract().jsonPath();

        X509Certificate cert = PeerCertificates.certificate(answer.getString("peerCertificate"));
        cert.verify(PeerCertificates.certificate(swarmCa.certificatePem()).getPublicKey());
        assertThat(cert.getPublicKey()).isEqualTo(keys.getPublic());
        assertThat(cert.getSubjectX500Principal().getName()).contains("agent " + answer.getString("agentId"));
        enroll(token, "ws-plain").statusCode(201).body("peerCertificate", nullValue());
    }

    @Test
    void aSwarmKeyThatIsNoKeyRefusesTheEnrollmentAndKeepsTheTokensUse() {
        String token = Fleet.newToken(1, null);
        String hostname = "badkey-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(new EnrollRequest(token, hostname, "0.1.0", List.of(), "bm90IGEga2V5"))
                .post("/api/agent/v1/enroll").then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("peerPublicKey"));

        assertThat(QuarkusTransaction.requiringNew().call(() -> Agent.count("hostname", hostname))).isZero();
        as(Tokens.admin()).get("/api/v1/enrollment-tokens/{id}", tokenId(token)).then().body("usesLeft", equalTo(1));
    }

    private static String tokenUrl() {
        String server = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.oidc.auth-server-url", String.class);
        return server.replaceAll("/+$", "") + "/protocol/openid-connect/token";
    }

    @Test
    void aUsedUpTokenIsRefusedAndSaysSo() {
        String token = Fleet.newToken(1, null);
        enroll(token, "first").statusCode(201);
        enroll(token, "second").statusCode(403).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("used up"));
        as(Tokens.admin()).get("/api/v1/enrollment-tokens/{id}", tokenId(token)).then()
                .body("usesLeft", equalTo(0)).body("status", equalTo("USED_UP"));
    }

    @Test
    void anExpiredTokenIsRefusedAndSaysSo() {
        String token = Fleet.newToken(5, null);
        UUID id = UUID.fromString(tokenId(token));
        QuarkusTransaction.requiringNew().run(() -> EnrollmentToken.update("expiresAt = ?1 where id = ?2",
                Instant.now().minusSeconds(1), id));
        enroll(token, "late").statusCode(403).body("detail", containsString("expired"));
        as(Tokens.admin()).get("/api/v1/enrollment-tokens/{id}", id.toString()).then()
                .body("status", equalTo("EXPIRED")).body("usesLeft", equalTo(5));
    }

    @Test
    void aRevokedTokenIsRefusedAndSaysSo() {
        String token = Fleet.newToken(5, null);
        String id = tokenId(token);
        as(Tokens.admin()).post("/api/v1/enrollment-tokens/{id}/revoke", id).then().statusCode(200)
                .body("status", equalTo("REVOKED")).body("revokedBy", equalTo("admin"));
        enroll(token, "refused").statusCode(403).body("detail", containsString("revoked"));
        // Revoking again changes nothing.
        as(Tokens.admin()).post("/api/v1/enrollment-tokens/{id}/revoke", id).then().statusCode(200)
                .body("status", equalTo("REVOKED"));
    }

    @Test
    void anUnknownOrMissingTokenIs401() {
        enroll("no-such-token-" + UUID.randomUUID(), "stranger").statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("detail", equalTo("Unknown enrollment token."));
        given().contentType(ContentType.JSON).body(Map.of("hostname", "stranger")).post("/api/agent/v1/enroll")
                .then().statusCode(401).body("detail", containsString("required"));
        given().contentType(ContentType.JSON).body("{\"token\": 42, \"hostname\": [").post("/api/agent/v1/enroll")
                .then().statusCode(400);
    }

    @Test
    void aMachineMustSayItsHostname() {
        String token = Fleet.newToken(1, null);
        enroll(token, " ").statusCode(400).body("detail", containsString("hostname"));
        enroll(token, "bad\u0000name").statusCode(400).body("detail", containsString("hostname"));
        // Refused input spends no use.
        enroll(token, "good-name").statusCode(201);
    }

    @Test
    void whenKeycloakIsDownEnrollmentLeavesNoAgentAndKeepsTheTokensUse() {
        String token = Fleet.newToken(1, null);
        String hostname = "down-" + UUID.randomUUID().toString().substring(0, 8);
        credentials.down(true);
        try {
            enroll(token, hostname).statusCode(503).contentType(startsWith("application/problem+json"))
                    .body("detail", containsString("could not create client"))
                    .body("detail", containsString("not used up"));
        } finally {
            credentials.down(false);
        }
        assertThat(QuarkusTransaction.requiringNew().call(() -> Agent.count("hostname", hostname))).isZero();
        as(Tokens.admin()).get("/api/v1/enrollment-tokens/{id}", tokenId(token)).then().body("usesLeft", equalTo(1));
        enroll(token, hostname).statusCode(201);
    }

    @Test
    void twoMachinesRacingForTheLastUseGetOneAgent() throws Exception {
        String token = Fleet.newToken(1, null);
        String prefix = "race-" + UUID.randomUUID().toString().substring(0, 8);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> calls = java.util.stream.IntStream.range(0, 4)
                    .<Callable<Integer>>mapToObj(i -> () -> enroll(token, prefix + "-" + i).extract().statusCode())
                    .toList();
            List<Integer> statuses = new java.util.ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
            assertThat(statuses).containsOnlyOnce(201).containsOnly(201, 403);
        } finally {
            pool.shutdownNow();
        }
        assertThat(QuarkusTransaction.requiringNew().call(() -> Agent.count("hostname like ?1", prefix + "-%"))).isEqualTo(1);
    }

    @Test
    void enrollingIsAuditedWithoutTheToken() {
        String token = Fleet.newToken(1, null);
        enroll(token, "audited").statusCode(201);
        as(Tokens.admin()).get("/api/v1/audit?limit=20").then().statusCode(200)
                .body("target", hasItem("/api/agent/v1/enroll"))
                .body("detail", not(hasItem(containsString(token))));
    }
}
