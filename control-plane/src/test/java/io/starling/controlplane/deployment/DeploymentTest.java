package io.starling.controlplane.deployment;

import static io.starling.controlplane.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.starling.controlplane.testing.Api;
import io.starling.controlplane.testing.Fleet;
import io.starling.controlplane.testing.PublishedArtifact;
import io.starling.controlplane.testing.Tokens;
import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.DeploymentState;
import io.starling.protocol.agent.DeploymentStatusReport;
import io.starling.protocol.bencode.Bencode;
import io.starling.protocol.manifest.Ed25519Keys;
import io.starling.protocol.manifest.Manifest;
import io.starling.protocol.manifest.ManifestLimits;
import io.starling.protocol.manifest.ManifestVerifier;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Deployments from an operator's request to an agent's last report. Sites here use 172.24.N.0/24 only. */
@QuarkusTest
class DeploymentTest {

    private static final java.util.concurrent.atomic.AtomicInteger SUBNET = new java.util.concurrent.atomic.AtomicInteger(1);

    private static String newSite() {
        return Api.newSite("deploy", "172.24." + SUBNET.getAndIncrement() + ".0/24");
    }

    private static String label() {
        return "l-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static JsonPath firstDeployment(Fleet.Enrolled agent) {
        return Fleet.checkIn(agent).then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Object> request(String product, String key, Object value) {
        Map<String, Object> body = new HashMap<>();
        body.put("product", product);
        body.put("version", "1.0");
        body.put(key, value);
        return body;
    }

    @Test
    void anAssignedReleaseArrivesAtCheckInWithAManifestThatVerifiesAgainstTheGivenKeys() {
        PublishedArtifact release = PublishedArtifact.publish("deployed", 40_000);
        Fleet.Enrolled agent = Fleet.enroll(null);
        String id = Fleet.deploy(release.product(), "1.0", agent).get(0);

        JsonPath answer = firstDeployment(agent);
        assertThat(answer.getList("deployments")).hasSize(1);
        assertThat(answer.getString("deployments[0].id")).isEqualTo(id);
        assertThat(answer.getString("deployments[0].product")).isEqualTo(release.product());
        assertThat(answer.getString("deployments[0].version")).isEqualTo("1.0");
        assertThat(answer.getString("deployments[0].state")).isEqualTo("PENDING");
        assertThat(answer.getString("deployments[0].artifacts[0].name")).isEqualTo("app.bin");
        assertThat(answer.getString("deployments[0].artifacts[0].torrentPath"))
                .isEqualTo("/api/agent/v1/deployments/" + id + "/artifacts/app.bin/torrent");

        byte[] manifest = Base64.getDecoder().decode(answer.getString("deployments[0].manifest"));
        byte[] signature = Base64.getDecoder().decode(answer.getString("deployments[0].signature"));
        byte[] served = as(Tokens.viewer()).get("/api/v1/products/{p}/releases/1.0/manifest", release.product())
                .then().statusCode(200).extract().asByteArray();
        assertThat(manifest).isEqualTo(served);
        Map<String, PublicKey> keys = new HashMap<>();
        answer.getList("manifestKeys", Map.class).forEach(k -> {
            PublicKey key = Ed25519Keys.readPublicKey((String) k.get("publicKey"));
            keys.put((String) k.get("keyId"), key);
        });
        Manifest verified = new ManifestVerifier(keys, ManifestLimits.DEFAULT).verify(manifest, signature, Instant.now(), -1);
        assertThat(verified.product()).isEqualTo(release.product());
        assertThat(verified.artifacts().get(0).sha256()).isEqualTo(release.sha256());
    }

    @Test
    void anAgentGetsItsOwnTorrentWithItsPasskeyButNotAnotherAgents() {
        PublishedArtifact release = PublishedArtifact.publish("torrent", 30_000);
        Fleet.Enrolled mine = Fleet.enroll(null);
        Fleet.Enrolled other = Fleet.enroll(null);
        String id = Fleet.deploy(release.product(), "1.0", mine).get(0);
        String path = "/api/agent/v1/deployments/{id}/artifacts/app.bin/torrent";

        byte[] torrent = as(mine.token()).get(path, id).then().statusCode(200)
                .contentType("application/x-bittorrent").extract().asByteArray();
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) Bencode.decode(torrent);
        String announce = new String((byte[]) meta.get("announce"), StandardCharsets.UTF_8);
        assertThat(announce).endsWith("/announce/" + mine.passkey());
        assertThat(new String(torrent, StandardCharsets.ISO_8859_1)).contains("/seed/" + mine.passkey() + "/");

        as(other.token()).get(path, id).then().statusCode(404).contentType(startsWith("application/problem+json"));
        as(mine.token()).get("/api/agent/v1/deployments/{id}/artifacts/other.bin/torrent", id).then().statusCode(404);
        as(mine.token()).get(path, UUID.randomUUID()).then().statusCode(404);
        as(Tokens.admin()).get(path, id).then().statusCode(403);
    }

    @Test
    void anAgentWalksItsDeploymentToInstalledAndOperatorsSeeTheBytes() {
        PublishedArtifact release = PublishedArtifact.publish("walk", 20_000);
        Fleet.Enrolled agent = Fleet.enroll(null);
        String id = Fleet.deploy(release.product(), "1.0", agent).get(0);

        Fleet.report(agent, id, DeploymentState.DOWNLOADING, 0, 20_000, BytesBySource.NONE).then().statusCode(200)
                .body("state", equalTo("DOWNLOADING"));
        Fleet.report(agent, id, DeploymentState.DOWNLOADING, 12_000, 20_000, new BytesBySource(8_000, 1_000, 2_000, 1_000))
                .then().statusCode(200).body("bytesDone", equalTo(12_000));
        Fleet.report(agent, id, DeploymentState.DOWNLOADED, 20_000, 20_000, new BytesBySource(15_000, 1_000, 3_000, 1_000))
                .then().statusCode(200);
        Fleet.report(agent, id, DeploymentState.INSTALLING, 20_000, 20_000, new BytesBySource(15_000, 1_000, 3_000, 1_000))
                .then().statusCode(200);
        Fleet.report(agent, id, DeploymentState.INSTALLED, 20_000, 20_000, new BytesBySource(15_000, 1_000, 3_000, 1_000))
                .then().statusCode(200).body("state", equalTo("INSTALLED"));

        for (String reader : List.of(Tokens.viewer(), Tokens.operator(), Tokens.admin())) {
            as(reader).get("/api/v1/deployments?product={p}&version=1.0", release.product()).then().statusCode(200)
                    .body("$", hasSize(1))
                    .body("[0].id", equalTo(id))
                    .body("[0].agentId", equalTo(agent.agentId()))
                    .body("[0].hostname", equalTo(agent.hostname()))
                    .body("[0].state", equalTo("INSTALLED"))
                    .body("[0].bytesDone", equalTo(20_000))
                    .body("[0].bytesTotal", equalTo(20_000))
                    .body("[0].bytes.sameSitePeers", equalTo(15_000))
                    .body("[0].bytes.otherSitePeers", equalTo(1_000))
                    .body("[0].bytes.originSeeder", equalTo(3_000))
                    .body("[0].bytes.webSeed", equalTo(1_000))
                    .body("[0].createdBy", equalTo("operator"));
        }
        as(Tokens.viewer()).get("/api/v1/agents/{id}/deployments", agent.agentId()).then().statusCode(200)
                .body("id", equalTo(List.of(id)));
        // Finished: no longer part of the desired state.
        assertThat(firstDeployment(agent).getList("deployments")).isEmpty();
        // A retried final report is answered, not refused.
        Fleet.report(agent, id, DeploymentState.INSTALLED, 20_000, 20_000, BytesBySource.NONE).then().statusCode(200)
                .body("bytes.sameSitePeers", equalTo(15_000));
    }

    /** The last two days' bytes, summed: a report just before midnight UTC still counts. */
    private static long[] lastTwoDays() {
        JsonPath days = as(Tokens.viewer()).get("/api/v1/deployments/bytes-by-day?days=2").then().statusCode(200)
                .extract().jsonPath();
        assertThat(days.getList("day", String.class)).hasSize(2);
        return new long[] {days.getList("bytes.sameSitePeers", Long.class).stream().mapToLong(Long::longValue).sum(),
                days.getList("bytes.originSeeder", Long.class).stream().mapToLong(Long::longValue).sum(),
                days.getList("deployments", Long.class).stream().mapToLong(Long::longValue).sum()};
    }

    @Test
    void todaysBytesByDayGrowByWhatAnAgentReportsAndEveryDayIsListed() {
        PublishedArtifact release = PublishedArtifact.publish("by-day", 10_000);
        Fleet.Enrolled agent = Fleet.enroll(null);
        String id = Fleet.deploy(release.product(), "1.0", agent).get(0);
        long[] before = lastTwoDays();

        Fleet.report(agent, id, DeploymentState.DOWNLOADING, 10_000, 10_000, new BytesBySource(7_000, 0, 2_000, 1_000))
                .then().statusCode(200);

        long[] after = lastTwoDays();
        assertThat(after[0] - before[0]).isEqualTo(7_000);
        assertThat(after[1] - before[1]).isEqualTo(2_000);
        JsonPath month = as(Tokens.viewer()).get("/api/v1/deployments/bytes-by-day").then().statusCode(200).extract()
                .jsonPath();
        assertThat(month.getList("day", String.class)).as("30 days by default, oldest first, today last").hasSize(30)
                .last().isEqualTo(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString());
        as(Tokens.viewer()).get("/api/v1/deployments/bytes-by-day?days=0").then().statusCode(400)
                .contentType(startsWith("application/problem+json"));
    }

    @Test
    void aMoveNoPathOfTheStateTableLeadsToIs409() {
        PublishedArtifact release = PublishedArtifact.publish("illegal", 10_000);
        Fleet.Enrolled agent = Fleet.enroll(null);
        String id = Fleet.deploy(release.product(), "1.0", agent).get(0);
        Fleet.report(agent, id, DeploymentState.FAILED, 0, 0, BytesBySource.NONE).then().statusCode(200);
        Fleet.report(agent, id, DeploymentState.DOWNLOADING, 0, 0, BytesBySource.NONE).then().statusCode(409)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://starling.io/problems/conflict"))
                .body("detail", equalTo("A failed deployment cannot become downloading."));
        as(Tokens.viewer()).get("/api/v1/agents/{id}/deployments", agent.agentId()).then().body("[0].state", equalTo("FAILED"));
    }

    @Test
    void anAgentThatInstalledWhileCutOffReportsInstalledAndTheMissedStatesAreWalked() {
        PublishedArtifact release = PublishedArtifact.publish("catch-up", 10_000);
        Fleet.Enrolled agent = Fleet.enroll(null);
        String id = Fleet.deploy(release.product(), "1.0", agent).get(0);
        Fleet.report(agent, id, DeploymentState.DOWNLOADING, 1_000, 10_000, BytesBySource.NONE).then().statusCode(200);
        // DOWNLOADED and INSTALLING happened while the control plane was down.
        Fleet.report(agent, id, DeploymentState.INSTALLED, 10_000, 10_000, new BytesBySource(9_000, 0, 1_000, 0))
                .then().statusCode(200).body("state", equalTo("INSTALLED"));
        as(Tokens.viewer()).get("/api/v1/agents/{id}/deployments", agent.agentId()).then()
                .body("[0].state", equalTo("INSTALLED")).body("[0].bytes.sameSitePeers", equalTo(9_000));
    }

    @Test
    void afterAnOperatorCancelsTheAgentsNextReportIs409AndCheckInSaysCancelled() {
        PublishedArtifact release = PublishedArtifact.publish("cancel", 10_000);
        Fleet.Enrolled agent = Fleet.enroll(null);
        String id = Fleet.deploy(release.product(), "1.0", agent).get(0);
        Fleet.report(agent, id, DeploymentState.DOWNLOADING, 100, 10_000, BytesBySource.NONE).then().statusCode(200);

        as(Tokens.operator()).post("/api/v1/deployments/{id}/cancel", id).then().statusCode(200)
                .body("state", equalTo("CANCELLED")).body("detail", containsString("operator"));
        Fleet.report(agent, id, DeploymentState.DOWNLOADED, 10_000, 10_000, BytesBySource.NONE).then().statusCode(409)
                .body("detail", equalTo("A cancelled deployment cannot become downloaded."));
        JsonPath answer = firstDeployment(agent);
        assertThat(answer.getString("deployments[0].id")).isEqualTo(id);
        assertThat(answer.getString("deployments[0].state")).isEqualTo("CANCELLED");
        as(Tokens.operator()).post("/api/v1/deployments/{id}/cancel", id).then().statusCode(409);
    }

    @Test
    void anInstallingDeploymentCannotBeCancelled() {
        PublishedArtifact release = PublishedArtifact.publish("installing", 10_000);
        Fleet.Enrolled agent = Fleet.enroll(null);
        String id = Fleet.deploy(release.product(), "1.0", agent).get(0);
        Fleet.report(agent, id, DeploymentState.DOWNLOADED, 10_000, 10_000, BytesBySource.NONE).then().statusCode(200);
        Fleet.report(agent, id, DeploymentState.INSTALLING, 10_000, 10_000, BytesBySource.NONE).then().statusCode(200);
        as(Tokens.admin()).post("/api/v1/deployments/{id}/cancel", id).then().statusCode(409)
                .body("detail", equalTo("An installing deployment cannot become cancelled."));
    }

    @Test
    void aFailureReportKeepsTheLastLinesOfOutputAndABoundedDetail() {
        PublishedArtifact release = PublishedArtifact.publish("failing", 10_000);
        Fleet.Enrolled agent = Fleet.enroll(null);
        String id = Fleet.deploy(release.product(), "1.0", agent).get(0);
        List<String> output = IntStream.range(0, 60).mapToObj(i -> i + ":" + "x".repeat(600)).toList();
        as(agent.token()).contentType(ContentType.JSON)
                .body(new DeploymentStatusReport(DeploymentState.FAILED, 0, 10_000, BytesBySource.NONE, "INSTALL_FAILED",
                        "d".repeat(2000), 3, output))
                .post("/api/agent/v1/deployments/{id}/status", id).then().statusCode(200)
                .body("state", equalTo("FAILED"))
                .body("reason", equalTo("INSTALL_FAILED"))
                .body("exitCode", equalTo(3))
                .body("detail.length()", equalTo(1000))
                .body("output", hasSize(50))
                .body("output[0]", startsWith("10:x"))
                .body("output[0].length()", equalTo(500));
    }

    @Test
    void anAgentCannotReportOnAnotherAgentsDeploymentNorSendNonsense() {
        PublishedArtifact release = PublishedArtifact.publish("foreign", 10_000);
        Fleet.Enrolled mine = Fleet.enroll(null);
        Fleet.Enrolled other = Fleet.enroll(null);
        String id = Fleet.deploy(release.product(), "1.0", mine).get(0);
        Fleet.report(other, id, DeploymentState.DOWNLOADING, 0, 0, BytesBySource.NONE).then().statusCode(404);
        Fleet.report(mine, id, DeploymentState.DOWNLOADING, -1, 0, BytesBySource.NONE).then().statusCode(400);
        as(mine.token()).contentType(ContentType.JSON).body("{\"bytesDone\": 1}")
                .post("/api/agent/v1/deployments/{id}/status", id).then().statusCode(400).body("detail", containsString("state"));
        as(mine.token()).contentType(ContentType.JSON).body("{\"state\": \"SLEEPING\"}")
                .post("/api/agent/v1/deployments/{id}/status", id).then().statusCode(400)
                .contentType(startsWith("application/problem+json"));
        as(mine.token()).contentType(ContentType.JSON).body("{\"state\": \"FAILED\", \"output\": [null]}")
                .post("/api/agent/v1/deployments/{id}/status", id).then().statusCode(400)
                .contentType(startsWith("application/problem+json"));
    }

    @Test
    void aSiteDeploymentReachesEveryActiveAgentThereAndRepeatingItChangesNothing() {
        PublishedArtifact release = PublishedArtifact.publish("by-site", 10_000);
        String site = newSite();
        Fleet.Enrolled a = Fleet.enroll(site);
        Fleet.Enrolled b = Fleet.enroll(site);
        Fleet.Enrolled revoked = Fleet.enroll(site);
        Fleet.Enrolled elsewhere = Fleet.enroll(newSite());
        as(Tokens.admin()).post("/api/v1/agents/{id}/revoke", revoked.agentId()).then().statusCode(200);

        JsonPath first = as(Tokens.operator()).contentType(ContentType.JSON).body(request(release.product(), "site", site))
                .post("/api/v1/deployments").then().statusCode(201).extract().jsonPath();
        assertThat(first.getList("created.agentId", String.class)).containsExactlyInAnyOrder(a.agentId(), b.agentId());
        assertThat(first.getList("skipped")).isEmpty();

        JsonPath again = as(Tokens.operator()).contentType(ContentType.JSON).body(request(release.product(), "site", site))
                .post("/api/v1/deployments").then().statusCode(200).extract().jsonPath();
        assertThat(again.getList("created")).isEmpty();
        assertThat(again.getList("skipped.agentId", String.class)).containsExactlyInAnyOrder(a.agentId(), b.agentId());
        assertThat(again.getList("skipped.reason", String.class)).containsOnly("already has a deployment of this release");
        assertThat(again.getList("skipped.deploymentId", String.class))
                .containsExactlyInAnyOrderElementsOf(first.getList("created.deploymentId", String.class));
        assertThat(firstDeployment(elsewhere).getList("deployments")).isEmpty();
    }

    @Test
    void aLabelDeploymentReachesOnlyAgentsWithAllTheLabels() {
        PublishedArtifact release = PublishedArtifact.publish("by-label", 10_000);
        String finance = label();
        String floor = label();
        Fleet.Enrolled both = Fleet.enroll(null, finance, floor);
        Fleet.Enrolled financeOnly = Fleet.enroll(null, finance);
        JsonPath batch = as(Tokens.admin()).contentType(ContentType.JSON)
                .body(request(release.product(), "labels", List.of(finance, floor)))
                .post("/api/v1/deployments").then().statusCode(201).extract().jsonPath();
        assertThat(batch.getList("created.agentId", String.class)).containsExactly(both.agentId());
        assertThat(firstDeployment(financeOnly).getList("deployments")).isEmpty();
    }

    @Test
    void namedAgentsThatAreRevokedAreSkippedAndUnknownOnesRefused() {
        PublishedArtifact release = PublishedArtifact.publish("by-id", 10_000);
        Fleet.Enrolled active = Fleet.enroll(null);
        Fleet.Enrolled revoked = Fleet.enroll(null);
        as(Tokens.admin()).post("/api/v1/agents/{id}/revoke", revoked.agentId()).then().statusCode(200);
        JsonPath batch = as(Tokens.operator()).contentType(ContentType.JSON)
                .body(request(release.product(), "agentIds", List.of(active.agentId(), revoked.agentId())))
                .post("/api/v1/deployments").then().statusCode(201).extract().jsonPath();
        assertThat(batch.getList("created.agentId", String.class)).containsExactly(active.agentId());
        assertThat(batch.getString("skipped[0].agentId")).isEqualTo(revoked.agentId());
        assertThat(batch.getString("skipped[0].reason")).isEqualTo("agent is revoked");

        String unknown = UUID.randomUUID().toString();
        as(Tokens.operator()).contentType(ContentType.JSON).body(request(release.product(), "agentIds", List.of(unknown)))
                .post("/api/v1/deployments").then().statusCode(400).body("detail", containsString(unknown));
        as(Tokens.operator()).contentType(ContentType.JSON).body(request(release.product(), "agentIds", List.of("nope")))
                .post("/api/v1/deployments").then().statusCode(400).body("detail", containsString("'nope'"));
    }

    @Test
    void aRequestMustNameItsTargetsOneWay() {
        PublishedArtifact release = PublishedArtifact.publish("targets", 10_000);
        Map<String, Object> both = request(release.product(), "site", "somewhere");
        both.put("labels", List.of("x"));
        as(Tokens.operator()).contentType(ContentType.JSON).body(both).post("/api/v1/deployments").then().statusCode(400)
                .body("detail", containsString("exactly one of agentIds, site or labels"));
        as(Tokens.operator()).contentType(ContentType.JSON).body(Map.of("product", release.product(), "version", "1.0"))
                .post("/api/v1/deployments").then().statusCode(400);
        as(Tokens.operator()).contentType(ContentType.JSON).body(request(release.product(), "site", "atlantis"))
                .post("/api/v1/deployments").then().statusCode(400).body("detail", containsString("No site 'atlantis'"));
        as(Tokens.operator()).contentType(ContentType.JSON).body(request(release.product(), "labels", List.of()))
                .post("/api/v1/deployments").then().statusCode(400);
    }

    @Test
    void onlyPublishedReleasesAreDeployed() {
        String product = Api.newProduct("draft");
        Api.newRelease(product, "1.0");
        Fleet.Enrolled agent = Fleet.enroll(null);
        as(Tokens.operator()).contentType(ContentType.JSON).body(request(product, "agentIds", List.of(agent.agentId())))
                .post("/api/v1/deployments").then().statusCode(409).body("detail", containsString("draft"));
        as(Tokens.operator()).contentType(ContentType.JSON).body(request(product + "-missing", "agentIds", List.of(agent.agentId())))
                .post("/api/v1/deployments").then().statusCode(404);
    }

    @Test
    void revokingAReleaseCancelsWhatHasNotStartedInstalling() {
        PublishedArtifact release = PublishedArtifact.publish("withdrawn", 10_000);
        Fleet.Enrolled waiting = Fleet.enroll(null);
        Fleet.Enrolled installing = Fleet.enroll(null);
        List<String> ids = Fleet.deploy(release.product(), "1.0", waiting, installing);
        Fleet.report(installing, ids.get(1), DeploymentState.DOWNLOADED, 1, 1, BytesBySource.NONE).then().statusCode(200);
        Fleet.report(installing, ids.get(1), DeploymentState.INSTALLING, 1, 1, BytesBySource.NONE).then().statusCode(200);

        as(Tokens.publisher()).post("/api/v1/products/{p}/releases/1.0/revoke", release.product()).then().statusCode(200);

        as(Tokens.viewer()).get("/api/v1/agents/{id}/deployments", waiting.agentId()).then()
                .body("[0].state", equalTo("CANCELLED")).body("[0].detail", containsString("revoked"));
        as(Tokens.viewer()).get("/api/v1/agents/{id}/deployments", installing.agentId()).then()
                .body("[0].state", equalTo("INSTALLING"));
        as(Tokens.operator()).contentType(ContentType.JSON).body(request(release.product(), "agentIds", List.of(waiting.agentId())))
                .post("/api/v1/deployments").then().statusCode(409).body("detail", containsString("revoked"));
    }

    @Test
    void revokingAnAgentCancelsItsUnfinishedDeployments() {
        PublishedArtifact release = PublishedArtifact.publish("agent-gone", 10_000);
        Fleet.Enrolled agent = Fleet.enroll(null);
        Fleet.deploy(release.product(), "1.0", agent);
        as(Tokens.admin()).post("/api/v1/agents/{id}/revoke", agent.agentId()).then().statusCode(200);
        as(Tokens.viewer()).get("/api/v1/agents/{id}/deployments", agent.agentId()).then()
                .body("[0].state", equalTo("CANCELLED"));
    }

    @Test
    void deploymentsAreListedNewestFirstAndPaged() {
        PublishedArtifact release = PublishedArtifact.publish("paged", 10_000);
        Fleet.Enrolled a = Fleet.enroll(null);
        Fleet.Enrolled b = Fleet.enroll(null);
        String first = Fleet.deploy(release.product(), "1.0", a).get(0);
        String second = Fleet.deploy(release.product(), "1.0", b).get(0);
        as(Tokens.viewer()).get("/api/v1/deployments?product={p}", release.product()).then().statusCode(200)
                .body("id", equalTo(List.of(second, first)));
        as(Tokens.viewer()).get("/api/v1/deployments?product={p}&offset=1&limit=1", release.product()).then()
                .body("id", equalTo(List.of(first)));
        as(Tokens.viewer()).get("/api/v1/deployments?product=../x").then().statusCode(400);
    }
}
