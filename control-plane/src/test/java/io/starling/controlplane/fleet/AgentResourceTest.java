package io.starling.controlplane.fleet;

import static io.starling.controlplane.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.starling.controlplane.testing.Api;
import io.starling.controlplane.testing.Fleet;
import io.starling.controlplane.testing.InMemoryAgentCredentials;
import io.starling.controlplane.testing.PublishedArtifact;
import io.starling.controlplane.testing.Tokens;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The fleet as admins see it, and revoking agents. Sites here use 172.25.1xx.0/24 only. */
@QuarkusTest
class AgentResourceTest {

    private static final java.util.concurrent.atomic.AtomicInteger SUBNET = new java.util.concurrent.atomic.AtomicInteger(100);

    @Inject
    InMemoryAgentCredentials credentials;

    static String newSite() {
        return Api.newSite("agents", "172.25." + SUBNET.getAndIncrement() + ".0/24");
    }

    private static String label() {
        return "l-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void agentsAreListedBySiteLabelAndState() {
        String site = newSite();
        String finance = label();
        String floor = label();
        Fleet.Enrolled both = Fleet.enroll(site, finance, floor);
        Fleet.Enrolled financeOnly = Fleet.enroll(site, finance);
        Fleet.Enrolled elsewhere = Fleet.enroll(null, finance, floor);

        as(Tokens.viewer()).get("/api/v1/agents?site={s}", site).then().statusCode(200)
                .body("id", equalTo(List.of(financeOnly.agentId(), both.agentId())));
        as(Tokens.operator()).get("/api/v1/agents?label={a}", finance).then().statusCode(200)
                .body("id", hasSize(3));
        as(Tokens.admin()).get("/api/v1/agents?label={a}&label={b}", finance, floor).then().statusCode(200)
                .body("id", equalTo(List.of(elsewhere.agentId(), both.agentId())));
        as(Tokens.admin()).get("/api/v1/agents?label={a}&site={s}&limit=1&offset=1", finance, site).then().statusCode(200)
                .body("id", equalTo(List.of(both.agentId())));

        as(Tokens.admin()).post("/api/v1/agents/{id}/revoke", financeOnly.agentId()).then().statusCode(200);
        as(Tokens.admin()).get("/api/v1/agents?label={a}&state=ACTIVE", finance).then().statusCode(200)
                .body("id", not(hasItem(financeOnly.agentId()))).body("id", hasSize(2));
        as(Tokens.admin()).get("/api/v1/agents?label={a}&state=revoked", finance).then().statusCode(200)
                .body("id", equalTo(List.of(financeOnly.agentId())));
    }

    @Test
    void badFiltersAreRefusedWithTheReason() {
        as(Tokens.admin()).get("/api/v1/agents?state=SLEEPING").then().statusCode(400)
                .contentType(startsWith("application/problem+json")).body("detail", containsString("ACTIVE"));
        as(Tokens.admin()).get("/api/v1/agents?label=../x").then().statusCode(400);
        as(Tokens.admin()).get("/api/v1/agents?limit=0").then().statusCode(400);
        as(Tokens.admin()).get("/api/v1/agents/not-a-uuid").then().statusCode(404);
        as(Tokens.admin()).get("/api/v1/agents/{id}", UUID.randomUUID()).then().statusCode(404)
                .contentType(startsWith("application/problem+json"));
    }

    @Test
    void aKeycloakTokenNamesItsAgentByAzp() {
        Fleet.Enrolled agent = Fleet.enroll(null);
        as(Tokens.keycloakAgent(agent.clientId())).contentType(ContentType.JSON).body(Fleet.inventory())
                .post("/api/agent/v1/check-in").then().statusCode(200)
                .body("agentId", equalTo(agent.agentId()));
    }

    @Test
    void aTokenOfAClientThatIsNoAgentIs401() {
        as(Tokens.agent("starling-agent-" + UUID.randomUUID())).contentType(ContentType.JSON).body(Fleet.inventory())
                .post("/api/agent/v1/check-in").then().statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("detail", containsString("not an enrolled agent"));
    }

    @Test
    void aRevokedAgentIsShutOutEverywhereAtOnce() {
        PublishedArtifact release = PublishedArtifact.publish("revoked-agent", 50_000);
        Fleet.Enrolled agent = Fleet.enroll(null);
        String token = agent.token();
        Fleet.checkIn(agent).then().statusCode(200);
        assertThat(Fleet.announce(agent.passkey(), release.infoHash(), 41001)).doesNotContainKey("failure reason");

        as(Tokens.admin()).post("/api/v1/agents/{id}/revoke", agent.agentId()).then().statusCode(200)
                .body("state", equalTo("REVOKED")).body("revokedBy", equalTo("admin")).body("revokedAt", notNullValue());

        // The same, still unexpired bearer token no longer works.
        as(token).contentType(ContentType.JSON).body(Fleet.inventory()).post("/api/agent/v1/check-in")
                .then().statusCode(401).body("detail", containsString("revoked"));
        Object reason = Fleet.announce(agent.passkey(), release.infoHash(), 41001).get("failure reason");
        assertThat(new String((byte[]) reason, StandardCharsets.UTF_8)).isEqualTo("this passkey has been revoked");
        assertThat(credentials.isDisabled(agent.clientId())).isTrue();
        // Revoking again is harmless.
        as(Tokens.admin()).post("/api/v1/agents/{id}/revoke", agent.agentId()).then().statusCode(200)
                .body("state", equalTo("REVOKED"));
    }

    @Test
    void whenKeycloakIsDownARevokeStillShutsTheAgentOutAndCanBeRepeated() {
        Fleet.Enrolled agent = Fleet.enroll(null);
        credentials.down(true);
        try {
            as(Tokens.admin()).post("/api/v1/agents/{id}/revoke", agent.agentId()).then().statusCode(503)
                    .body("detail", containsString("is revoked"))
                    .body("detail", containsString("Revoke it again"));
        } finally {
            credentials.down(false);
        }
        Fleet.checkIn(agent).then().statusCode(401);
        assertThat(credentials.isDisabled(agent.clientId())).isFalse();
        as(Tokens.admin()).post("/api/v1/agents/{id}/revoke", agent.agentId()).then().statusCode(200);
        assertThat(credentials.isDisabled(agent.clientId())).isTrue();
    }

    @Test
    void onlyAdminsRevokeAgents() {
        Fleet.Enrolled agent = Fleet.enroll(null);
        as(Tokens.operator()).post("/api/v1/agents/{id}/revoke", agent.agentId()).then().statusCode(403);
        as(agent.token()).post("/api/v1/agents/{id}/revoke", agent.agentId()).then().statusCode(403);
        Fleet.checkIn(agent).then().statusCode(200);
    }

    @Test
    void revokingIsAudited() {
        Fleet.Enrolled agent = Fleet.enroll(null);
        as(Tokens.admin()).post("/api/v1/agents/{id}/revoke", agent.agentId()).then().statusCode(200);
        as(Tokens.admin()).get("/api/v1/audit?limit=50").then().statusCode(200)
                .body("target", hasItem("/api/v1/agents/" + agent.agentId() + "/revoke"));
    }
}
