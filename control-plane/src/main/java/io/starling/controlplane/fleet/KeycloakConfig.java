package io.starling.controlplane.fleet;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How the control plane reaches Keycloak's admin API to create and disable agents' clients. The
 * defaults match {@code deploy/keycloak/realm-starling.json}; production changes the secret.
 */
@ConfigMapping(prefix = "starling.fleet.keycloak")
public interface KeycloakConfig {

    /** Keycloak's base URL, without {@code /realms/…}. */
    @WithDefault("http://127.0.0.1:8180")
    String serverUrl();

    /** The realm agents' clients are created in, and whose token endpoint they use. */
    @WithDefault("starling")
    String realm();

    /**
     * A confidential client of that realm whose service account holds realm-management's
     * manage-clients, view-clients and query-clients, and nothing more.
     */
    @WithDefault("starling-control-plane")
    String clientId();

    @WithDefault("starling-control-plane-secret")
    String clientSecret();

    /**
     * The audience ({@code aud}) an audience mapper puts into every token of an agent's client. The
     * control plane accepts only tokens issued for {@code quarkus.oidc.token.audience}, which is this
     * value unless set apart (application.properties).
     */
    @WithDefault("starling-control-plane")
    String audience();
}
