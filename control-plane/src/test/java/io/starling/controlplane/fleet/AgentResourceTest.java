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
    void theCountsSayHowManyAgentsOfASiteAreActiveSilentFrozenAndRevoked() {
        String site = newSite();
        Fleet.Enrolled heard = Fleet.enroll(site);
        Fleet.Enrolled quiet = Fleet.enroll(site);
        Fleet.Enrolled revoked = Fleet.enroll(site);
        // Heard of, and frozen: its signed assignment expired and no newer one reached it.
        as(heard.token()).contentType(io.restassured.http.ContentType.JSON).body(java.util.Map.of("freeDiskBytes", 1,
                "assignment", java.util.Map.of("validUntil", "2026-12-06T10:00:00Z", "frozenSince", "2026-12-06T10:00:00Z")))
                .post("/api/agent/v1/check-in").then().statusCode(200);
        // Last heard of 11 minutes ago (at its enrollment, say): silent.
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> Agent.update("lastCheckIn = ?1 where id = ?2",
                java.time.Instant.now().minus(java.time.Duration.ofMinutes(11)), UUID.fromString(quiet.agentId())));
        as(Tokens.admin()).post("/api/v1/agents/{id}/revoke", revoked.agentId()).then().statusCode(200);

        io.restassured.path.json.JsonPath counts = as(Tokens.viewer()).get("/api/v1/agents/counts").then()
                .statusCode(200).extract().jsonPath();
        assertThat(counts.getMap("bySite.find { it.site == '" + site + "' }.counts"))
                .isEqualTo(java.util.Map.of("agents", 3, "active", 2, "silent", 1, "frozen", 1, "revoked", 1));
        assertThat(counts.getInt("silentAfterSeconds")).isEqualTo(600);
        // Sites in name order, the agents on no site last; the total is the sum of the sites.
        List<String> sites = counts.getList("bySite.site");
        assertThat(sites.subList(0, sites.size() - (sites.contains(null) ? 1 : 0))).isSorted().doesNotContainNull();
        for (String key : List.of("agents", "active", "silent", "frozen", "revoked")) {
            assertThat(counts.getLong("total." + key)).as(key)
                    .isEqualTo(counts.getList("bySite.counts." + key, Long.class).stream().mapToLong(Long::longValue).sum());
        }
        assertThat(counts.getLong("total.agents")).isEqualTo(counts.getLong("total.active") + counts.getLong("total.revoked"));
    }

    @Test
    void theCountsAreForTheRolesThatReadAgents() {
        as(Tokens.operator()).get("/api/v1/agents/counts").then().statusCode(200);
        as(Tokens.admin()).get("/api/v1/agents/counts").then().statusCode(200);
        io.restassured.RestAssured.given().get("/api/v1/agents/counts").then().statusCode(401)
                .contentType(startsWith("application/problem+json"));
        as(Tokens.publisher()).get("/api/v1/agents/counts").then().statusCode(403)
                .contentType(startsWith("application/problem+json"));
        as(Fleet.enroll(null).token()).get("/api/v1/agents/counts").then().statusCode(403);
    }

    @Test
    void aSearchFindsAgentsByPartOfTheHostnameInAnyCaseOrByTheStartOfTheId() {
        String site = newSite();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Fleet.Enrolled berlin = Fleet.enrollWith(Fleet.newToken(1, site), "WS-Berlin-" + tag);
        Fleet.Enrolled munich = Fleet.enrollWith(Fleet.newToken(1, site), "ws-munich-" + tag);

        as(Tokens.viewer()).get("/api/v1/agents?q={q}", "berlin-" + tag.toUpperCase()).then().statusCode(200)
                .header("X-Total-Count", "1").body("id", equalTo(List.of(berlin.agentId())));
        as(Tokens.viewer()).get("/api/v1/agents?q={q}&site={s}", tag, site).then().statusCode(200)
                .header("X-Total-Count", "2").body("id", equalTo(List.of(munich.agentId(), berlin.agentId())));
        as(Tokens.viewer()).get("/api/v1/agents?q={q}", munich.agentId().substring(0, 13).toUpperCase()).then()
                .statusCode(200).body("id", equalTo(List.of(munich.agentId())));
        // % and _ are searched for as themselves, not as wildcards.
        as(Tokens.viewer()).get("/api/v1/agents?q={q}&site={s}", "ws%" + tag, site).then().statusCode(200)
                .header("X-Total-Count", "0").body("id", hasSize(0));
    }

    @Test
    void theTotalCountsEveryMatchingAgentWhateverPageIsAsked() {
        String site = newSite();
        for (int i = 0; i < 5; i++) {
            Fleet.enroll(site);
        }
        as(Tokens.viewer()).get("/api/v1/agents?site={s}&limit=2", site).then().statusCode(200)
                .header("X-Total-Count", "5").body("id", hasSize(2));
        as(Tokens.viewer()).get("/api/v1/agents?site={s}&limit=2&offset=4", site).then().statusCode(200)
                .header("X-Total-Count", "5").body("id", hasSize(1));
        as(Tokens.viewer()).get("/api/v1/agents?site={s}&limit=2&offset=10", site).then().statusCode(200)
                .header("X-Total-Count", "5").body("id", hasSize(0));
    }

    @Test
    void agentsAreFoundByTheReleasesTheyReportedInstalled() {
        String site = newSite();
        String product = "p-" + UUID.randomUUID().toString().substring(0, 8);
        Fleet.Enrolled old = Fleet.enroll(site);
        Fleet.Enrolled current = Fleet.enroll(site);
        Fleet.Enrolled none = Fleet.enroll(site);
        checkIn(old, new io.starling.protocol.agent.InstalledRelease(product, "1.0", 1, true));
        checkIn(current, new io.starling.protocol.agent.InstalledRelease(product, "1.0", 1, false),
                new io.starling.protocol.agent.InstalledRelease(product, "2.0", 2, true));
        checkIn(none, new io.starling.protocol.agent.InstalledRelease(product + "-other", "2.0", 1, true));

        as(Tokens.viewer()).get("/api/v1/agents?installed={i}", product + "@2.0").then().statusCode(200)
                .header("X-Total-Count", "1").body("id", equalTo(List.of(current.agentId())));
        as(Tokens.viewer()).get("/api/v1/agents?installed={i}", product + "@1.0").then().statusCode(200)
                .header("X-Total-Count", "2").body("id", equalTo(List.of(current.agentId(), old.agentId())));
        as(Tokens.viewer()).get("/api/v1/agents?installed={i}&site={s}", product, site).then().statusCode(200)
                .header("X-Total-Count", "2").body("id", not(hasItem(none.agentId())));
        as(Tokens.viewer()).get("/api/v1/agents?installed={i}", product + "@3.0").then().statusCode(200)
                .header("X-Total-Count", "0");
    }

    @Test
    void theOverviewCountsAgentsBySiteActiveSilentAndRevokedWithoutListingThem() {
        String site = newSite();
        Fleet.Enrolled heardFrom = Fleet.enroll(site);
        Fleet.Enrolled silent = Fleet.enroll(site);
        Fleet.Enrolled revoked = Fleet.enroll(site);
        checkIn(heardFrom);
        java.time.Instant elevenMinutesAgo = java.time.Instant.now().minus(java.time.Duration.ofMinutes(11));
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> Agent.update("lastCheckIn = ?1 where id = ?2",
                elevenMinutesAgo, UUID.fromString(silent.agentId())));
        as(Tokens.admin()).post("/api/v1/agents/{id}/revoke", revoked.agentId()).then().statusCode(200);

        String ofSite = "bySite.find { it.site == '" + site + "' }.counts";
        as(Tokens.viewer()).get("/api/v1/agents/counts").then().statusCode(200)
                .body(ofSite + ".active", equalTo(2)).body(ofSite + ".silent", equalTo(1))
                .body(ofSite + ".revoked", equalTo(1));
        List<String> sites = as(Tokens.operator()).get("/api/v1/agents/counts").then().statusCode(200)
                .extract().jsonPath().getList("bySite.site");
        List<String> named = sites.stream().filter(java.util.Objects::nonNull).toList();
        assertThat(named).as("one entry per site").doesNotHaveDuplicates();
        assertThat(sites.subList(0, named.size())).as("agents on no site come last").isEqualTo(named);
    }

    private static void checkIn(Fleet.Enrolled agent, io.starling.protocol.agent.InstalledRelease... installed) {
        as(agent.token()).contentType(ContentType.JSON)
                .body(new io.starling.protocol.agent.CheckInRequest("0.1.0-test", null, "127.0.0.1", 1_000_000_000L,
                        List.of(installed), List.of()))
                .post("/api/agent/v1/check-in").then().statusCode(200);
    }

    @Test
    void badSearchAndInstalledFiltersAreNamedInOneAnswer() {
        as(Tokens.admin()).get("/api/v1/agents?installed={i}&state=SLEEPING&q={q}", "../x@1", "x".repeat(300)).then()
                .statusCode(400).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("installed:")).body("detail", containsString("state:"))
                .body("detail", containsString("q:"));
        as(Tokens.admin()).get("/api/v1/agents?installed={i}", "office@bad version").then().statusCode(400)
                .body("detail", containsString("installed:"));
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
