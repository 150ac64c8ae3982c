package io.starling.controlplane.fleet;

import static io.restassured.RestAssured.given;
import static io.starling.controlplane.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.starling.controlplane.passkey.Passkeys;
import io.starling.controlplane.testing.Fleet;
import io.starling.controlplane.testing.PublishedArtifact;
import io.starling.controlplane.testing.Tokens;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Revoking an agent cuts everything it could reach: the agent API, the catalogue reads, the tracker and the web seed. */
@QuarkusTest
class RevocationTest {

    @Inject
    Passkeys passkeys;

    private static List<String> agentReads(PublishedArtifact a, Fleet.Enrolled agent) {
        String release = "/api/v1/products/" + a.product() + "/releases/1.0";
        return List.of(release + "/manifest", release + "/manifest.sig",
                release + "/artifacts/app.bin/torrent?passkey=" + agent.passkey(), "/api/v1/signing-keys");
    }

    @Test
    void aRevokedAgentIsRefusedWith401EverywhereItCouldReadBefore() {
        PublishedArtifact a = PublishedArtifact.publish("revoked-reads", 1000);
        Fleet.Enrolled agent = Fleet.enroll(null);
        for (String path : agentReads(a, agent)) {
            as(agent.token()).get(path).then().statusCode(200);
        }

        as(Tokens.admin()).post("/api/v1/agents/{id}/revoke", agent.agentId()).then().statusCode(200);

        for (String token : List.of(agent.token(), Tokens.keycloakAgent(agent.clientId()))) {
            for (String path : agentReads(a, agent)) {
                as(token).get(path).then().statusCode(401).contentType(startsWith("application/problem+json"))
                        .body("detail", containsString("has been revoked"));
            }
            as(token).contentType(ContentType.JSON).body(Map.of("owner", "x")).post("/api/v1/passkeys")
                    .then().statusCode(403);
            Fleet.checkIn(agent).then().statusCode(401);
        }
    }

    @Test
    void aClientWithTheAgentRoleThatNeverEnrolledGets401() {
        PublishedArtifact a = PublishedArtifact.publish("unknown-agent", 1000);
        as(Tokens.agent("never-enrolled-" + UUID.randomUUID())).get("/api/v1/products/{p}/releases/1.0/manifest", a.product())
                .then().statusCode(401).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("not an enrolled agent"));
    }

    @Test
    void anAgentGetsNoPersonalPasskey() {
        PublishedArtifact a = PublishedArtifact.publish("no-personal", 1000);
        Fleet.Enrolled agent = Fleet.enroll(null);
        as(agent.token()).contentType(ContentType.JSON).body(Map.of("label", "mine")).post("/api/v1/passkeys")
                .then().statusCode(403);
        as(agent.token()).get("/api/v1/products/{p}/releases/1.0/artifacts/app.bin/torrent", a.product())
                .then().statusCode(403).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("no personal passkeys"));
        as(Tokens.admin()).get("/api/v1/passkeys").then().statusCode(200)
                .body("findAll { it.owner == '" + agent.clientId() + "' }.size()", equalTo(0));
    }

    @Test
    void revokingAnAgentRevokesEveryPasskeyItOwnsAtTheTrackerAndTheWebSeed() {
        PublishedArtifact a = PublishedArtifact.publish("revoked-passkeys", 1000);
        Fleet.Enrolled agent = Fleet.enroll(null);
        Fleet.deploy(a.product(), "1.0", agent);
        String second = passkeys.createForAgent(UUID.fromString(agent.agentId()), "second", null).passkey();
        for (String key : List.of(agent.passkey(), second)) {
            assertThat(Fleet.announce(key, a.infoHash(), 6881)).doesNotContainKey("failure reason");
            given().header("Range", "bytes=0-9").get(seed(key, a)).then().statusCode(206);
        }

        as(Tokens.admin()).post("/api/v1/agents/{id}/revoke", agent.agentId()).then().statusCode(200);

        for (String key : List.of(agent.passkey(), second)) {
            Object reason = Fleet.announce(key, a.infoHash(), 6881).get("failure reason");
            assertThat(new String((byte[]) reason, StandardCharsets.UTF_8)).isEqualTo("this passkey has been revoked");
            given().header("Range", "bytes=0-9").get(seed(key, a)).then().statusCode(403)
                    .body("detail", equalTo("This passkey has been revoked."));
        }
        as(Tokens.admin()).get("/api/v1/passkeys").then().statusCode(200)
                .body("findAll { it.passkey == '" + second + "' }[0].revokedAt", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void anAgentsPasskeyFetchesOnlyReleasesDeployedToIt() {
        PublishedArtifact deployed = PublishedArtifact.publish("entitled", 1000);
        PublishedArtifact other = PublishedArtifact.publish("not-entitled", 1000);
        Fleet.Enrolled agent = Fleet.enroll(null);
        String deployment = Fleet.deploy(deployed.product(), "1.0", agent).get(0);

        given().header("Range", "bytes=0-9").get(seed(agent.passkey(), deployed)).then().statusCode(206);
        given().get(seed(agent.passkey(), deployed)).then().statusCode(200);
        given().head(seed(agent.passkey(), deployed)).then().statusCode(200);
        given().header("Range", "bytes=0-9").get(seed(agent.passkey(), other)).then().statusCode(403)
                .contentType(startsWith("application/problem+json")).body("detail", containsString("no deployment"));

        // A person's passkey is not limited to deployments.
        String person = as(Tokens.admin()).contentType(ContentType.JSON).body(Map.of("owner", "someone"))
                .post("/api/v1/passkeys").then().statusCode(201).extract().path("passkey");
        given().header("Range", "bytes=0-9").get(seed(person, other)).then().statusCode(206);

        as(Tokens.operator()).post("/api/v1/deployments/{id}/cancel", deployment).then().statusCode(200);
        given().header("Range", "bytes=0-9").get(seed(agent.passkey(), deployed)).then().statusCode(403);
    }

    private static String seed(String passkey, PublishedArtifact a) {
        return "/seed/" + passkey + "/" + a.product() + "/1.0/app.bin";
    }
}
