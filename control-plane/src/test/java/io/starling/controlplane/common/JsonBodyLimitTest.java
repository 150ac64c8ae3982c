package io.starling.controlplane.common;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.starling.controlplane.testing.Api;
import io.starling.controlplane.testing.Tokens;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A JSON body is read whole before it is checked, so its length is bounded (starling.api.max-json-body). */
@QuarkusTest
class JsonBodyLimitTest {

    @Test
    void aJsonBodyOverTheLimitIsRefusedWith413AndCreatesNothing() {
        String name = "huge-" + UUID.randomUUID().toString().substring(0, 8);
        String body = "{\"name\":\"" + name + "\",\"description\":\"" + "a".repeat(3 * 1024 * 1024) + "\"}";
        Api.as(Tokens.admin()).contentType(ContentType.JSON).body(body).post("/api/v1/products").then()
                .statusCode(413)
                .contentType(startsWith("application/problem+json"))
                .body("type", containsString("too-large"))
                .body("detail", containsString("starling.api.max-json-body"));
        Api.as(Tokens.viewer()).get("/api/v1/products/{p}", name).then().statusCode(404);
    }

    @Test
    void aDeeplyNestedBodyIsABadRequestNotTooLarge() {
        // Short, but nested deeper than Jackson's bound of 1000 (in a property the API would ignore).
        String body = "{\"name\":\"nested\",\"extra\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        Api.as(Tokens.admin()).contentType(ContentType.JSON).body(body).post("/api/v1/products").then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("not valid JSON"));
        Api.as(Tokens.viewer()).get("/api/v1/products/nested").then().statusCode(404);
    }

    @Test
    void aDeploymentNamingTenThousandAgentsIsNotRefusedForItsSize() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        // About 400 KB: read whole and refused for what it says (no such product), not for its length.
        Api.as(Tokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("product", "no-such-product", "version", "1.0", "agentIds", ids))
                .post("/api/v1/deployments").then()
                .statusCode(404)
                .body("detail", containsString("no-such-product"));
    }
}
