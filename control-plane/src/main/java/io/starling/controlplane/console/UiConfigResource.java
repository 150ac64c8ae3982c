package io.starling.controlplane.console;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/ui-config")
@Tag(name = "Console")
public class UiConfigResource {

    private final UiConfig config;

    UiConfigResource(ConsoleConfig console, @ConfigProperty(name = "quarkus.oidc.auth-server-url") String authServerUrl) {
        this.config = UiConfig.of(console, authServerUrl);
    }

    @GET
    @PermitAll // the console asks before anyone has signed in: it learns here where to sign in
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Keycloak URL, realm and client id for the console's sign-in")
    public UiConfig get() {
        return config;
    }
}
