package io.starling.controlplane.fleet;

import io.quarkus.security.identity.SecurityIdentity;
import io.starling.controlplane.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

/**
 * Every endpoint the agent role may call refuses a revoked or unknown agent with 401, in one
 * place: a new agent endpoint cannot forget it. A token stays valid until it expires (Keycloak
 * only stops issuing new ones), so the token alone never proves the agent is still trusted.
 * Keyed on the endpoint allowing the agent role, so an endpoint agents may not call keeps
 * answering 403 to any agent, and people's requests cost nothing here.
 */
public class ActiveAgentFilter {

    private final Map<Method, Boolean> agentEndpoint = new ConcurrentHashMap<>();

    @Inject
    SecurityIdentity identity;

    @Inject
    CallingAgent callingAgent;

    @Inject
    AgentDirectory directory;

    @ServerRequestFilter
    public void refuseRevokedAgents(SimpleResourceInfo resource) {
        if (resource == null || resource.getResourceClass() == null || identity.isAnonymous()
                || !identity.hasRole(Roles.AGENT)) {
            return;
        }
        Method method = method(resource);
        if (method == null || !agentEndpoint.computeIfAbsent(method, ActiveAgentFilter::allowsAgents)) {
            return;
        }
        directory.requireActive(callingAgent.clientId()); // 401 for a revoked or unknown agent
    }

    private static Method method(SimpleResourceInfo resource) {
        try {
            return resource.getResourceClass().getMethod(resource.getMethodName(), resource.parameterTypes());
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    static boolean allowsAgents(Method method) {
        RolesAllowed roles = method.getAnnotation(RolesAllowed.class);
        if (roles == null) {
            roles = method.getDeclaringClass().getAnnotation(RolesAllowed.class);
        }
        return roles != null && Arrays.asList(roles.value()).contains(Roles.AGENT);
    }
}
