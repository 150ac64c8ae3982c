package io.starling.controlplane.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.starling.controlplane.testing.Tokens;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every endpoint, found in the resource classes, refuses missing, expired and forged tokens, and the wrong roles. */
@QuarkusTest
class EndpointSecurityTest {

    /**
     * Endpoints anyone may call, each with the reason: they authenticate by other means. A new
     * {@code @PermitAll} endpoint fails {@link #everyEndpointSaysWhoMayCallIt} until it is listed here.
     */
    private static final Map<String, String> PUBLIC = Map.of(
            "POST /api/agent/v1/enroll", "a one-time enrollment token in the body is the credential",
            "GET /api/v1/ui-config", "the console asks where to sign in before anyone has signed in",
            "GET /seed/{passkey}/{product}/{version}/{file}", "BitTorrent web seeds (BEP 19) carry the passkey in the URL",
            "HEAD /seed/{passkey}/{product}/{version}/{file}", "BitTorrent web seeds (BEP 19) carry the passkey in the URL");

    private static final Map<String, Supplier<String>> TOKENS = Map.of(Roles.ADMIN, Tokens::admin,
            Roles.PUBLISHER, Tokens::publisher, Roles.OPERATOR, Tokens::operator, Roles.VIEWER, Tokens::viewer,
            Roles.AGENT, Tokens::agent);

    /** The management API, every endpoint of it, read from the resource classes. */
    static Stream<Arguments> endpoints() {
        return Endpoints.all().stream().filter(e -> !e.permitAll() && !e.agentApi())
                .map(e -> Arguments.of(e.method(), e.path(), e.mutating()));
    }

    /** The agent API: only the agent role, and only with a valid token. */
    static Stream<Arguments> agentEndpoints() {
        return Endpoints.all().stream().filter(e -> !e.permitAll() && e.agentApi())
                .map(e -> Arguments.of(e.method(), e.path()));
    }

    static Stream<Endpoints.Endpoint> guarded() {
        return Endpoints.all().stream().filter(e -> !e.permitAll());
    }

    @Test
    void everyEndpointSaysWhoMayCallIt() {
        List<Endpoints.Endpoint> all = Endpoints.all();
        assertThat(all).as("endpoints found").hasSizeGreaterThan(30);
        for (Endpoints.Endpoint e : all) {
            if (e.permitAll()) {
                assertThat(PUBLIC).as("%s (%s) is open to anyone; list it in PUBLIC with the reason", e, e.javaMethod())
                        .containsKey(e.toString());
            } else {
                assertThat(e.roles()).as("%s (%s) needs @RolesAllowed or @PermitAll", e, e.javaMethod()).isNotEmpty();
                assertThat(TOKENS.keySet()).as("roles of %s", e).containsAll(e.roles());
            }
        }
    }

    @Test
    void nothingThatChangesStateIsOpenToViewers() {
        guarded().filter(Endpoints.Endpoint::mutating)
                .forEach(e -> assertThat(e.roles()).as("roles of %s", e).doesNotContain(Roles.VIEWER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("guarded")
    void everyRoleThatIsNotAllowedIsRefusedWith403(Endpoints.Endpoint endpoint) {
        TOKENS.forEach((role, token) -> {
            if (!endpoint.roles().contains(role)) {
                call(given().auth().oauth2(token.get()), endpoint.method(), endpoint.path()).then()
                        .statusCode(403).contentType(startsWith("application/problem+json"));
            }
        });
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

    /** Every endpoint the agent role may call, read from the resource classes. */
    static Stream<Endpoints.Endpoint> agentRoleEndpoints() {
        return guarded().filter(e -> e.roles().contains(Roles.AGENT));
    }

    /**
     * A valid, unexpired token with the agent role is not enough: its client must be an enrolled,
     * active agent ({@code RevocationTest} revokes one), whichever endpoint it calls.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("agentRoleEndpoints")
    void everyAgentRoleEndpointRefusesAClientThatIsNoEnrolledAgentWith401(Endpoints.Endpoint endpoint) {
        call(given().auth().oauth2(Tokens.agent()), endpoint.method(), endpoint.path()).then().statusCode(401)
                .contentType(startsWith("application/problem+json"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("fleetReads")
    void anAgentCannotReadTheFleet(String path) {
        given().auth().oauth2(Tokens.agent()).get(path).then().statusCode(403);
    }

    static Stream<String> fleetReads() {
        return Stream.of("/api/v1/enrollment-tokens", "/api/v1/agents", "/api/v1/agents/counts",
                "/api/v1/agents/" + Endpoints.ID + "/deployments",
                "/api/v1/deployments", "/api/v1/deployments/bytes-by-day");
    }

    @Test
    void enrollmentTokensAreForAdminsAndViewersOnly() {
        given().auth().oauth2(Tokens.operator()).get("/api/v1/enrollment-tokens").then().statusCode(403);
        given().auth().oauth2(Tokens.publisher()).get("/api/v1/enrollment-tokens").then().statusCode(403);
        given().auth().oauth2(Tokens.operator()).contentType("application/json").body("{}")
                .post("/api/v1/enrollment-tokens").then().statusCode(403);
        given().auth().oauth2(Tokens.viewer()).get("/api/v1/enrollment-tokens").then().statusCode(200);
    }

    @Test
    void publishersDoNotDeploy() {
        given().auth().oauth2(Tokens.publisher()).contentType("application/json").body("{}")
                .post("/api/v1/deployments").then().statusCode(403);
        given().auth().oauth2(Tokens.publisher()).get("/api/v1/deployments").then().statusCode(403);
        given().auth().oauth2(Tokens.publisher()).get("/api/v1/deployments/bytes-by-day").then().statusCode(403);
        given().auth().oauth2(Tokens.publisher()).get("/api/v1/agents").then().statusCode(403);
    }

    @Test
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

    @Test
    void onlyAdminsManagePasskeys() {
        given().auth().oauth2(Tokens.publisher()).get("/api/v1/passkeys").then().statusCode(403);
        given().auth().oauth2(Tokens.admin()).get("/api/v1/passkeys").then().statusCode(200);
    }

    /** A hook's URL may carry a chat service's credential, and a hook sends rollout details out. */
    @Test
    void onlyAdminsManageWebhooks() {
        for (String token : List.of(Tokens.operator(), Tokens.publisher(), Tokens.viewer(), Tokens.agent())) {
            given().auth().oauth2(token).get("/api/v1/webhooks").then().statusCode(403);
            given().auth().oauth2(token).contentType("application/json")
                    .body("{\"url\":\"https://chat.example.com/h\",\"events\":[\"rollout\"]}")
                    .post("/api/v1/webhooks").then().statusCode(403);
            given().auth().oauth2(token).get("/api/v1/webhooks/" + Endpoints.ID + "/deliveries").then().statusCode(403);
        }
        given().get("/api/v1/webhooks").then().statusCode(401);
        given().auth().oauth2(Tokens.admin()).get("/api/v1/webhooks").then().statusCode(200);
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
