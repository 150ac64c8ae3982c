package io.starling.controlplane.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.starling.controlplane.testing.Tokens;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every management endpoint refuses missing, expired and forged tokens, and the wrong roles. */
@QuarkusTest
class EndpointSecurityTest {

    private static final String R = "/api/v1/products/office/releases/1.0";
    private static final String ID = "0b6c7f7e-5d1a-4a47-9a43-0f3e2c1d9b21";

    static Stream<Arguments> endpoints() {
        return Stream.of(
                Arguments.of("POST", "/api/v1/products", true),
                Arguments.of("GET", "/api/v1/products", false),
                Arguments.of("GET", "/api/v1/products/office", false),
                Arguments.of("POST", "/api/v1/products/office/releases", true),
                Arguments.of("GET", "/api/v1/products/office/releases", false),
                Arguments.of("GET", R, false),
                Arguments.of("POST", R + "/publish", true),
                Arguments.of("POST", R + "/revoke", true),
                Arguments.of("GET", R + "/manifest", false),
                Arguments.of("GET", R + "/manifest.sig", false),
                Arguments.of("PUT", R + "/artifacts/setup.bin", true),
                Arguments.of("GET", R + "/artifacts", false),
                Arguments.of("GET", R + "/artifacts/setup.bin/torrent", false),
                Arguments.of("GET", "/api/v1/signing-keys", false),
                Arguments.of("POST", "/api/v1/passkeys", true),
                Arguments.of("POST", "/api/v1/passkeys/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/revoke", true),
                Arguments.of("GET", "/api/v1/audit", false),
                Arguments.of("POST", "/api/v1/sites", true),
                Arguments.of("GET", "/api/v1/sites", false),
                Arguments.of("GET", "/api/v1/sites/berlin", false),
                Arguments.of("PUT", "/api/v1/sites/berlin", true),
                Arguments.of("DELETE", "/api/v1/sites/berlin", true),
                Arguments.of("POST", "/api/v1/enrollment-tokens", true),
                Arguments.of("GET", "/api/v1/enrollment-tokens", false),
                Arguments.of("GET", "/api/v1/enrollment-tokens/" + ID, false),
                Arguments.of("POST", "/api/v1/enrollment-tokens/" + ID + "/revoke", true),
                Arguments.of("GET", "/api/v1/agents", false),
                Arguments.of("GET", "/api/v1/agents/" + ID, false),
                Arguments.of("POST", "/api/v1/agents/" + ID + "/revoke", true),
                Arguments.of("GET", "/api/v1/agents/" + ID + "/deployments", false),
                Arguments.of("POST", "/api/v1/deployments", true),
                Arguments.of("GET", "/api/v1/deployments", false),
                Arguments.of("POST", "/api/v1/deployments/" + ID + "/cancel", true));
    }

    /** The agent API: only the agent role, and only with a valid token. */
    static Stream<Arguments> agentEndpoints() {
        return Stream.of(
                Arguments.of("POST", "/api/agent/v1/check-in"),
                Arguments.of("POST", "/api/agent/v1/deployments/" + ID + "/status"),
                Arguments.of("GET", "/api/agent/v1/deployments/" + ID + "/artifacts/app.bin/torrent"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("agentEndpoints")
    void theAgentApiRefusesMissingExpiredAndForgedTokensWith401(String method, String path) {
        for (RequestSpecification spec : List.of(given(), given().auth().oauth2(Tokens.expired()),
                given().auth().oauth2(Tokens.forged()))) {
            call(spec, method, path).then().statusCode(401)
                    .contentType(startsWith("application/problem+json"));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("agentEndpoints")
    void theAgentApiIsForAgentsOnly(String method, String path) {
        for (String token : List.of(Tokens.admin(), Tokens.publisher(), Tokens.operator(), Tokens.viewer())) {
            call(given().auth().oauth2(token), method, path).then().statusCode(403)
                    .contentType(startsWith("application/problem+json"));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fleetReads")
    void anAgentCannotReadTheFleet(String path) {
        given().auth().oauth2(Tokens.agent()).get(path).then().statusCode(403);
    }

    static Stream<String> fleetReads() {
        return Stream.of("/api/v1/enrollment-tokens", "/api/v1/agents", "/api/v1/agents/" + ID + "/deployments",
                "/api/v1/deployments");
    }

    @org.junit.jupiter.api.Test
    void enrollmentTokensAreForAdminsAndViewersOnly() {
        given().auth().oauth2(Tokens.operator()).get("/api/v1/enrollment-tokens").then().statusCode(403);
        given().auth().oauth2(Tokens.publisher()).get("/api/v1/enrollment-tokens").then().statusCode(403);
        given().auth().oauth2(Tokens.operator()).contentType("application/json").body("{}")
                .post("/api/v1/enrollment-tokens").then().statusCode(403);
        given().auth().oauth2(Tokens.viewer()).get("/api/v1/enrollment-tokens").then().statusCode(200);
    }

    @org.junit.jupiter.api.Test
    void publishersDoNotDeploy() {
        given().auth().oauth2(Tokens.publisher()).contentType("application/json").body("{}")
                .post("/api/v1/deployments").then().statusCode(403);
        given().auth().oauth2(Tokens.publisher()).get("/api/v1/deployments").then().statusCode(403);
        given().auth().oauth2(Tokens.publisher()).get("/api/v1/agents").then().statusCode(403);
    }

    @org.junit.jupiter.api.Test
    void enrollingNeedsNoBearerTokenButAValidEnrollmentToken() {
        given().contentType("application/json").body("{\"token\":\"guess\",\"hostname\":\"h\"}")
                .post("/api/agent/v1/enroll").then().statusCode(401)
                .contentType(startsWith("application/problem+json"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("endpoints")
    void withoutATokenTheCallIsRefusedWith401(String method, String path, boolean mutating) {
        call(given(), method, path).then().statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(401));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("endpoints")
    void anExpiredTokenIsRefusedWith401(String method, String path, boolean mutating) {
        call(given().auth().oauth2(Tokens.expired()), method, path).then().statusCode(401);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("endpoints")
    void aForgedTokenIsRefusedWith401(String method, String path, boolean mutating) {
        call(given().auth().oauth2(Tokens.forged()), method, path).then().statusCode(401);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("endpoints")
    void aViewerCannotChangeAnything(String method, String path, boolean mutating) {
        if (mutating) {
            call(given().auth().oauth2(Tokens.viewer()), method, path).then().statusCode(403)
                    .contentType(startsWith("application/problem+json"));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("endpoints")
    void anAgentCannotChangeTheCatalogue(String method, String path, boolean mutating) {
        if (mutating) {
            call(given().auth().oauth2(Tokens.agent()), method, path).then().statusCode(403);
        }
    }

    @org.junit.jupiter.api.Test
    void onlyAdminsManagePasskeys() {
        given().auth().oauth2(Tokens.publisher()).get("/api/v1/passkeys").then().statusCode(403);
        given().auth().oauth2(Tokens.admin()).get("/api/v1/passkeys").then().statusCode(200);
    }

    private static io.restassured.response.Response call(RequestSpecification spec, String method, String path) {
        RequestSpecification s = spec.contentType("application/json");
        if (method.equals("PUT") && path.contains("/artifacts/")) {
            s = spec.contentType("application/octet-stream").body(new byte[] {1, 2, 3});
        } else if (method.equals("POST") || method.equals("PUT")) {
            s = s.body("{\"name\":\"x\",\"version\":\"1.0\",\"cidrs\":[\"10.99.0.0/16\"]}");
        }
        return s.request(method, path);
    }
}
