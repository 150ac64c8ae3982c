package io.starling.controlplane.audit;

import static io.starling.controlplane.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.starling.controlplane.testing.Api;
import io.starling.controlplane.testing.Tokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuditTest {

    @Test
    void everyChangeIsRecordedWithWhoWhatAndOutcome() {
        String product = Api.newProduct("audited");
        as(Tokens.viewer()).contentType(ContentType.JSON).body(Map.of("version", "1.0"))
                .post("/api/v1/products/{p}/releases", product).then().statusCode(403);
        as(Tokens.admin()).post("/api/v1/products/{p}/releases/9.9/publish", product).then().statusCode(404);

        // Rows are written by the audit writer thread, a moment after the response.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Map<String, Object>> entries = entries();
            assertThat(entries).anySatisfy(e -> assertThat(e).containsEntry("actor", "admin")
                    .containsEntry("action", "POST").containsEntry("target", "/api/v1/products")
                    .containsEntry("outcome", "SUCCESS"));
            assertThat(entries).anySatisfy(e -> assertThat(e).containsEntry("actor", "viewer")
                    .containsEntry("target", "/api/v1/products/" + product + "/releases")
                    .containsEntry("outcome", "DENIED").containsEntry("status", 403));
            assertThat(entries).anySatisfy(e -> assertThat(e).containsEntry("actor", "admin")
                    .containsEntry("target", "/api/v1/products/" + product + "/releases/9.9/publish")
                    .containsEntry("outcome", "FAILURE").containsEntry("status", 404));
        });
    }

    @Test
    void readsAreNotAudited() {
        String product = Api.newProduct("quiet");
        as(Tokens.viewer()).get("/api/v1/products/{p}", product).then().statusCode(200);
        List<Map<String, Object>> all = as(Tokens.admin()).get("/api/v1/audit?limit=1000").then().statusCode(200)
                .extract().path("$");
        assertThat(all).noneSatisfy(e -> assertThat((String) e.get("target")).endsWith("/products/" + product)
                .isNotNull());
    }

    private static List<Map<String, Object>> entries() {
        return as(Tokens.admin()).get("/api/v1/audit?limit=1000").then().statusCode(200).extract().path("$");
    }

    @Test
    void aFloodOfCallsWithoutATokenIsRecordedAsAFewCountedEntries() {
        String target = "/api/v1/products/flood-" + System.nanoTime() + "/releases";
        for (int i = 0; i < 40; i++) {
            io.restassured.RestAssured.given().contentType(ContentType.JSON).body(Map.of("version", "1.0"))
                    .post(target).then().statusCode(401);
        }
        // Tallies are written once per window (1 s in tests): the 40 calls may straddle two or three.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Map<String, Object>> rows = entries().stream().filter(e -> target.equals(e.get("target"))).toList();
            assertThat(rows).allSatisfy(e -> assertThat(e).containsEntry("actor", "anonymous")
                    .containsEntry("status", 401).containsEntry("outcome", "DENIED"));
            assertThat(rows.size()).isLessThan(10);
            assertThat(rows.stream().mapToLong(AuditTest::calls).sum()).isEqualTo(40);
        });
    }

    private static long calls(Map<String, Object> entry) {
        String detail = (String) entry.get("detail");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+) calls refused between").matcher(
                detail == null ? "" : detail);
        return m.find() ? Long.parseLong(m.group(1)) : 1;
    }

    @Test
    @SuppressWarnings("unchecked")
    void entriesAreFilteredByActorActionAndTimeAndPagedWithACursor() {
        java.time.Instant start = java.time.Instant.now().minusSeconds(1);
        String product = Api.newProduct("audit-filter");
        as(Tokens.admin()).post("/api/v1/products/{p}/releases/9.9/publish", product).then().statusCode(404);
        String target = "/api/v1/products/" + product + "/releases/9.9/publish";
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                (List<Map<String, Object>>) as(Tokens.admin()).get("/api/v1/audit?action=post&actor=admin&from={f}",
                        start.toString()).then().statusCode(200).extract().path("$"))
                .anySatisfy(e -> assertThat(e).containsEntry("target", target)).allSatisfy(e -> assertThat(e)
                        .containsEntry("action", "POST").containsEntry("actor", "admin")));

        List<Map<String, Object>> before = as(Tokens.admin()).get("/api/v1/audit?to={t}&limit=1000", start.toString())
                .then().statusCode(200).extract().path("$");
        assertThat(before).noneSatisfy(e -> assertThat(e).containsEntry("target", target));

        for (int i = 0; i < 4; i++) { // enough entries for two pages, whichever test ran first
            as(Tokens.admin()).post("/api/v1/products/{p}/releases/9.{i}/publish", product, i).then().statusCode(404);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> as(Tokens.admin()).get("/api/v1/audit?limit=6").then()
                .extract().<List<?>>path("id").size() == 6);
        List<Integer> ids = as(Tokens.admin()).get("/api/v1/audit?limit=3").then().statusCode(200).extract().path("id");
        List<Integer> next = as(Tokens.admin()).get("/api/v1/audit?limit=3&before={b}", ids.get(2)).then()
                .statusCode(200).extract().path("id");
        assertThat(next).allSatisfy(id -> assertThat(id).isLessThan(ids.get(2)));
        assertThat(next).doesNotContainAnyElementsOf(ids);
    }

    @Test
    void badFiltersAreNamedInOneAnswer() {
        as(Tokens.admin()).get("/api/v1/audit?from=yesterday&to=2026-01-01T00:00:00Z&before=x&action=P0ST").then()
                .statusCode(400).contentType(org.hamcrest.Matchers.startsWith("application/problem+json"))
                .body("detail", org.hamcrest.Matchers.allOf(org.hamcrest.Matchers.containsString("from:"),
                        org.hamcrest.Matchers.containsString("before:"), org.hamcrest.Matchers.containsString("action:")));
        as(Tokens.admin()).get("/api/v1/audit?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z").then()
                .statusCode(400).body("detail", org.hamcrest.Matchers.containsString("to: must be after from"));
    }
}
