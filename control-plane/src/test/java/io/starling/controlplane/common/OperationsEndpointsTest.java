package io.starling.controlplane.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import io.quarkus.test.junit.QuarkusTest;
import io.starling.controlplane.testing.Api;
import io.starling.controlplane.testing.Tokens;
import org.junit.jupiter.api.Test;

/** What an operator points monitoring and API clients at. */
@QuarkusTest
class OperationsEndpointsTest {

    @Test
    void readinessIncludesTheDatabase() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItem(containsString("Database")));
    }

    @Test
    void theOpenApiDocumentDescribesTheCatalogueWithExamples() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths", hasKey("/api/v1/products/{product}/releases/{version}/artifacts/{file}"))
                .body("components.schemas.ProductRequest.examples[0].name", equalTo("office-suite"));
    }

    @Test
    void prometheusMetricsCountWebSeedBytes() {
        Api.as(Tokens.viewer()).get("/api/v1/products").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count"))
                .body(containsString("starling_webseed_bytes_total"));
    }
}
