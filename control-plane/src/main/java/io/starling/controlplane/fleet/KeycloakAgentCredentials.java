package io.starling.controlplane.fleet;

import io.quarkus.arc.Unremovable;
import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.security.Roles;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.keycloak.OAuth2Constants;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.KeycloakBuilder;
import org.keycloak.admin.client.resource.ClientsResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ProtocolMapperRepresentation;

/**
 * Agents' clients in Keycloak, through its admin REST API, authenticated as the control plane's
 * own confidential client (client-credentials grant). That service account holds only
 * realm-management's manage-clients, view-clients and query-clients.
 *
 * <p>The agent role comes from a hardcoded-role protocol mapper on the agent's client, not from a
 * role mapping on its service-account user: mapping a realm role to a user needs manage-users
 * (and the right to grant that role), which would let the control plane make anyone an admin.
 * See docs/security.md.
 */
@ApplicationScoped
// Kept when a test replaces it: its config mapping (starling.fleet.keycloak) must still exist,
// or the keys set for it would be unknown ones.
@Unremovable
public class KeycloakAgentCredentials implements AgentCredentials {

    private static final Logger LOG = Logger.getLogger(KeycloakAgentCredentials.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeycloakConfig config;
    private Keycloak keycloak;

    KeycloakAgentCredentials(KeycloakConfig config) {
        this.config = config;
    }

    @Override
    public Credentials create(String agentId) {
        String clientId = AgentCredentials.clientIdOf(agentId);
        String secret = newSecret();
        try (Response response = clients().create(representation(clientId, secret, config.audience()))) {
            if (response.getStatus() != 201) {
                throw unavailable("create client " + clientId, "HTTP " + response.getStatus());
            }
        } catch (ProcessingException | WebApplicationException e) {
            throw unavailable("create client " + clientId, describe(e));
        }
        LOG.infof("Created Keycloak client %s", clientId);
        return new Credentials(clientId, secret);
    }

    @Override
    public void disable(String clientId) {
        try {
            List<ClientRepresentation> found = clients().findByClientId(clientId);
            for (ClientRepresentation c : found) {
                if (!Boolean.FALSE.equals(c.isEnabled())) {
                    c.setEnabled(false);
                    clients().get(c.getId()).update(c);
                }
            }
            if (found.isEmpty()) {
                LOG.warnf("Keycloak has no client %s to disable", clientId);
            } else {
                LOG.infof("Disabled Keycloak client %s", clientId);
            }
        } catch (ProcessingException | WebApplicationException e) {
            throw unavailable("disable client " + clientId, describe(e));
        }
    }

    static ClientRepresentation representation(String clientId, String secret, String audience) {
        ClientRepresentation c = new ClientRepresentation();
        c.setClientId(clientId);
        c.setName(clientId);
        c.setDescription("Starling agent; created at enrollment by the control plane");
        c.setProtocol("openid-connect");
        c.setEnabled(true);
        c.setPublicClient(false);
        c.setClientAuthenticatorType("client-secret");
        c.setSecret(secret);
        c.setServiceAccountsEnabled(true);
        c.setStandardFlowEnabled(false);
        c.setDirectAccessGrantsEnabled(false);
        c.setImplicitFlowEnabled(false);
        c.setProtocolMappers(List.of(agentRole(), audience(audience)));
        return c;
    }

    /** Puts the realm role starling-agent into realm_access.roles of every token of this client. */
    private static ProtocolMapperRepresentation agentRole() {
        ProtocolMapperRepresentation m = new ProtocolMapperRepresentation();
        m.setName("starling-agent role");
        m.setProtocol("openid-connect");
        m.setProtocolMapper("oidc-hardcoded-role-mapper");
        m.setConfig(Map.of("role", Roles.AGENT));
        return m;
    }

    /**
     * Puts {@code audience} into {@code aud} of every access token of this client: the control plane
     * refuses tokens issued for anyone else (docs/security.md, "Tokens are issued for Starling").
     */
    private static ProtocolMapperRepresentation audience(String audience) {
        ProtocolMapperRepresentation m = new ProtocolMapperRepresentation();
        m.setName("starling audience");
        m.setProtocol("openid-connect");
        m.setProtocolMapper("oidc-audience-mapper");
        m.setConfig(Map.of("included.custom.audience", audience, "access.token.claim", "true",
                "id.token.claim", "false", "introspection.token.claim", "true"));
        return m;
    }

    /** Built on first use: a Keycloak that is down at start must not stop the control plane. */
    private synchronized ClientsResource clients() {
        if (keycloak == null) {
            keycloak = KeycloakBuilder.builder()
                    .serverUrl(config.serverUrl())
                    .realm(config.realm())
                    .grantType(OAuth2Constants.CLIENT_CREDENTIALS)
                    .clientId(config.clientId())
                    .clientSecret(config.clientSecret())
                    .build();
        }
        return keycloak.realm(config.realm()).clients();
    }

    private DomainException.Unavailable unavailable(String what, String why) {
        LOG.warnf("Keycloak at %s could not %s: %s", config.serverUrl(), what, why);
        return new DomainException.Unavailable("The identity provider (Keycloak at " + config.serverUrl()
                + ", realm " + config.realm() + ") could not " + what + ": " + why + ".");
    }

    /** Short and free of secrets: a status line or the transport error, never a response body. */
    private static String describe(RuntimeException e) {
        if (e instanceof WebApplicationException w) {
            int status = w.getResponse().getStatus();
            return switch (status) {
                case 401 -> "HTTP 401, the control plane's own client credentials were refused"
                        + " (starling.fleet.keycloak.client-id and client-secret)";
                case 403 -> "HTTP 403, the control plane's service account lacks realm-management manage-clients";
                default -> "HTTP " + status;
            };
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
    }

    private static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @PreDestroy
    synchronized void close() {
        if (keycloak != null) {
            keycloak.close();
        }
    }
}
