package io.starling.controlplane.fleet;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Which agent client a bearer token belongs to, read from the token alone (no database):
 * <ul>
 * <li>{@code azp}, the client the token was issued to: Keycloak sets it on every token, and
 *     for a client-credentials token it is the agent's own client id;</li>
 * <li>else the principal name, without Keycloak's {@code service-account-} prefix: Keycloak's
 *     {@code preferred_username} for a client's service account is
 *     {@code service-account-<clientId>}, and test tokens carry the client id there directly.</li>
 * </ul>
 * Whether that client is an enrolled, active agent is {@link Agents#requireActive}'s question.
 */
@RequestScoped
public class CallingAgent {

    static final String SERVICE_ACCOUNT_PREFIX = "service-account-";

    private final SecurityIdentity identity;

    CallingAgent(SecurityIdentity identity) {
        this.identity = identity;
    }

    public String clientId() {
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            String azp = string(jwt.getClaim("azp"));
            if (azp != null && !azp.isBlank()) {
                return azp;
            }
        }
        return clientIdOf(identity.getPrincipal().getName());
    }

    static String clientIdOf(String principalName) {
        if (principalName == null) {
            return "";
        }
        return principalName.startsWith(SERVICE_ACCOUNT_PREFIX)
                ? principalName.substring(SERVICE_ACCOUNT_PREFIX.length()) : principalName;
    }

    private static String string(Object claim) {
        if (claim instanceof JsonString s) {
            return s.getString();
        }
        return claim instanceof String s ? s : null;
    }
}
