package io.starling.controlplane.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import io.quarkus.test.junit.QuarkusTest;
import io.starling.controlplane.testing.Api;
import io.starling.controlplane.testing.Tokens;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an operator points monitoring and API clients at. Tests serve metrics on the main port (the
 * packaged control plane moves them to its management interface), where they are guarded like the
 * API documentation.
 */
@QuarkusTest
class OperationsEndpointsTest {

    @Test
    void readinessIncludesTheDatabase() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItem(containsString("Database")));
    }

    @Test
    void healthNeedsNoToken() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void theOpenApiDocumentDescribesTheCatalogueWithExamples() {
        Api.as(Tokens.viewer()).accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths", hasKey("/api/v1/products/{product}/releases/{version}/artifacts/{file}"))
                .body("components.schemas.ProductRequest.examples[0].name", equalTo("office-suite"));
    }

    @Test
    void prometheusMetricsCountWebSeedBytes() {
        Api.as(Tokens.viewer()).get("/api/v1/products").then().statusCode(200);
        Api.as(Tokens.admin()).get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count"))
                .body(containsString("starling_webseed_bytes_total"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/q/metrics", "/q/openapi", "/q/swagger-ui/"})
    void metricsAndTheApiDocumentationNeedAToken(String path) {
        given().redirects().follow(false).get(path).then().statusCode(401);
        given().redirects().follow(false).auth().oauth2(Tokens.expired()).get(path).then().statusCode(401);
        given().redirects().follow(false).auth().oauth2(Tokens.forged()).get(path).then().statusCode(401);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/q/metrics", "/q/openapi", "/q/swagger-ui/"})
    void metricsAndTheApiDocumentationAreForAdminsAndViewersOnly(String path) {
        for (String token : List.of(Tokens.agent(), Tokens.publisher(), Tokens.operator())) {
            given().redirects().follow(false).auth().oauth2(token).get(path).then().statusCode(403);
        }
        for (String token : List.of(Tokens.admin(), Tokens.viewer())) {
            given().redirects().follow(false).auth().oauth2(token).get(path).then().statusCode(200);
        }
    }
}
