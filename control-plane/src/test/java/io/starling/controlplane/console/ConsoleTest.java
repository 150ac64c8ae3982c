package io.starling.controlplane.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.starling.controlplane.testing.Api;
import io.starling.controlplane.testing.Tokens;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The console as the browser meets it. The test classpath holds a stand-in index.html and asset
 * (src/test/resources/META-INF/resources) when admin-ui was built with -Dui.skip.
 */
@QuarkusTest
class ConsoleTest {

    @Test
    void theConsoleLearnsWhereToSignInWithoutAToken() {
        given().get("/api/v1/ui-config").then().statusCode(200)
                .body("clientId", equalTo("starling-admin-ui"))
                .body("realm", equalTo("quarkus"))
                .body("keycloakUrl", startsWith("http://"))
                .body("keycloakUrl", not(containsString("/realms")));
    }

    @Test
    void aDeepLinkReloadedInTheBrowserGetsTheConsole() {
        for (String path : new String[] {"/", "/agents/7d1e2c3b-4a59-4f60-8e71-92a3b4c5d6e7",
                "/products/office-suite/releases/2.4.1", "/sites"}) {
            given().get(path).then().statusCode(200)
                    .contentType(startsWith("text/html"))
                    .header("Cache-Control", "no-cache")
                    .body(containsString("<div id=\"root\">"));
        }
    }

    @Test
    void hashedAssetsAreCachedForAYear() {
        given().get("/assets/fixture-0a1b2c3d.js").then().statusCode(200)
                .header("Cache-Control", "public, max-age=31536000, immutable");
    }

    @Test
    void aMissingAssetIsA404NotTheConsole() {
        given().get("/assets/gone-12345678.js").then().statusCode(404)
                .header("Cache-Control", not(containsString("immutable")))
                .body(not(containsString("<div id=\"root\">")));
        given().get("/favicon.png").then().statusCode(404);
    }

    @Test
    void anUnknownApiPathIsStillAProblemNotTheConsole() {
        Api.as(Tokens.admin()).get("/api/v1/no-such-thing").then().statusCode(404)
                .contentType(startsWith("application/problem+json"));
        given().get("/q/no-such-thing").then().statusCode(404)
                .body(not(containsString("<div id=\"root\">")));
    }

    @Test
    void explicitSettingsWinOverTheOidcServerUrl() {
        ConsoleConfig config = new ConsoleConfig() {
            public Optional<String> keycloakUrl() {
                return Optional.of("https://sso.example.com");
            }

            public Optional<String> realm() {
                return Optional.empty();
            }

            public String clientId() {
                return "console";
            }
        };
        UiConfig ui = UiConfig.of(config, "http://keycloak.internal:8080/realms/corp/");
        assertThat(ui).isEqualTo(new UiConfig("https://sso.example.com", "corp", "console"));
    }
}
