package io.starling.controlplane.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Where the console's browser signs in: told to it by {@code GET /api/v1/ui-config}, so one build works against any Keycloak. */
@ConfigMapping(prefix = "starling.console")
public interface ConsoleConfig {

    /**
     * Keycloak's base URL as the browser reaches it. Unset: taken from {@code quarkus.oidc.auth-server-url}
     * (the part before {@code /realms/}); set it when browsers reach Keycloak at another address than the control plane does.
     */
    Optional<String> keycloakUrl();

    /** The realm. Unset: taken from {@code quarkus.oidc.auth-server-url}. */
    Optional<String> realm();

    /** The public client the console signs in with (authorization code flow with PKCE). */
    @WithDefault("starling-admin-ui")
    String clientId();
}
