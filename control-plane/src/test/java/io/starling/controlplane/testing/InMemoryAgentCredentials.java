package io.starling.controlplane.testing;

import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.fleet.AgentCredentials;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Agents' clients without Keycloak: remembers what was created and disabled, and can play an
 * identity provider that is down. Tokens for these clients come from {@link Tokens#agent}.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class InMemoryAgentCredentials implements AgentCredentials {

    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final Set<String> disabled = ConcurrentHashMap.newKeySet();
    private volatile boolean down;

    @Override
    public Credentials create(String agentId) {
        if (down) {
            throw new DomainException.Unavailable("The identity provider (test double) could not create client "
                    + AgentCredentials.clientIdOf(agentId) + ": it is down.");
        }
        Credentials c = new Credentials(AgentCredentials.clientIdOf(agentId), UUID.randomUUID().toString());
        secrets.put(c.clientId(), c.secret());
        return c;
    }

    @Override
    public void disable(String clientId) {
        if (down) {
            throw new DomainException.Unavailable("The identity provider (test double) could not disable client "
                    + clientId + ": it is down.");
        }
        disabled.add(clientId);
    }

    /** Until {@code down(false)}, every call fails as a Keycloak that cannot be reached does. */
    public void down(boolean down) {
        this.down = down;
    }

    public boolean exists(String clientId) {
        return secrets.containsKey(clientId);
    }

    public boolean isDisabled(String clientId) {
        return disabled.contains(clientId);
    }
}
