package io.starling.controlplane.fleet;

import io.starling.controlplane.security.Caller;
import io.starling.controlplane.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/agents")
@Tag(name = "Fleet")
@SecurityRequirement(name = "SecurityScheme")
public class AgentResource {

    private final Agents agents;
    private final Caller caller;

    AgentResource(Agents agents, Caller caller) {
        this.agents = agents;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER})
    @Operation(summary = "List agents, most recently enrolled first")
    public List<AgentView> list(@QueryParam("site") String site,
            @Parameter(description = "Repeat to ask for agents carrying all of them") @QueryParam("label") List<String> labels,
            @Parameter(description = "ACTIVE or REVOKED") @QueryParam("state") String state,
            @QueryParam("offset") @DefaultValue("0") @Min(0) int offset,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return agents.list(site, labels, state == null ? null : AgentState.parse(state), offset, limit);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER})
    @Operation(summary = "Read an agent with its inventory from the last check-in")
    public AgentView get(@PathParam("id") String id) {
        return agents.agent(id);
    }

    @POST
    @Path("{id}/revoke")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Revoke an agent: its tokens, passkey and Keycloak client stop working; its unfinished"
            + " deployments are cancelled")
    public AgentView revoke(@PathParam("id") String id) {
        return agents.revoke(id, caller.name());
    }
}
