package io.starling.controlplane.console;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "Where the console signs in.", example = """
        {"keycloakUrl": "http://127.0.0.1:8180", "realm": "starling", "clientId": "starling-admin-ui"}""")
public record UiConfig(String keycloakUrl, String realm, String clientId) {

    private static final String REALMS = "/realms/";

    /**
     * The console's settings: the explicit ones, else those read from the OIDC server URL the API
     * itself trusts ({@code http://host:8180/realms/starling}), so the quick start needs none.
     */
    static UiConfig of(ConsoleConfig config, String authServerUrl) {
        String trimmed = authServerUrl.replaceAll("/+$", "");
        int at = trimmed.lastIndexOf(REALMS);
        String derivedUrl = at < 0 ? trimmed : trimmed.substring(0, at);
        String derivedRealm = at < 0 ? "starling" : trimmed.substring(at + REALMS.length());
        return new UiConfig(config.keycloakUrl().orElse(derivedUrl), config.realm().orElse(derivedRealm),
                config.clientId());
    }
}
