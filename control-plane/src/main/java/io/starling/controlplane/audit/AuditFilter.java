package io.starling.controlplane.audit;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.starling.controlplane.common.Problem;
import io.starling.controlplane.security.Caller;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Records every mutating call under /api, whatever its outcome. */
public class AuditFilter {

    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    /**
     * Agents' periodic check-in changes nothing anyone decided: it refreshes an inventory whose
     * time is the agent's lastCheckIn. Recording it would write one audit row per agent per
     * minute and bury the calls that matter. Refused check-ins (a revoked agent) are recorded.
     */
    private static final String CHECK_IN = "/api/agent/v1/check-in";

    @Inject
    AuditLog audit;

    @ServerResponseFilter
    public void record(ContainerRequestContext request, ContainerResponseContext response, RoutingContext routing) {
        String method = request.getMethod();
        String path = request.getUriInfo().getPath();
        if (!MUTATING.contains(method) || !path.startsWith("/api/")
                || (path.equals(CHECK_IN) && response.getStatus() < 400)) {
            return;
        }
        String detail = response.getEntity() instanceof Problem p ? p.detail() : null;
        audit.record(actor(routing), method, path, response.getStatus(), detail);
    }

    /**
     * The identity authentication already established, read without resolving it again: this
     * filter may run on the event loop, where resolving a token is not allowed, and a call that
     * failed authentication has no identity to resolve anyway.
     */
    private static String actor(RoutingContext routing) {
        SecurityIdentity identity = routing != null && routing.user() instanceof QuarkusHttpUser user
                ? user.getSecurityIdentity() : null;
        return Caller.name(identity);
    }
}
