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
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/api/v1/agents")
@Tag(name = "Fleet")
@SecurityRequirement(name = "SecurityScheme")
public class AgentResource {

    static final String TOTAL_COUNT = "X-Total-Count";

    private final Agents agents;
    private final Caller caller;

    AgentResource(Agents agents, Caller caller) {
        this.agents = agents;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER})
    @Operation(summary = "List agents, most recently enrolled first; the X-Total-Count header says how many match")
    @APIResponse(responseCode = "200", description = "One page of agents",
            headers = @Header(name = TOTAL_COUNT, description = "How many agents match the filters, on all pages",
                    schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(schema = @Schema(type = SchemaType.ARRAY, implementation = AgentView.class)))
    public RestResponse<List<AgentView>> list(@QueryParam("site") String site,
            @Parameter(description = "Repeat to ask for agents carrying all of them") @QueryParam("label") List<String> labels,
            @Parameter(description = "ACTIVE or REVOKED") @QueryParam("state") String state,
            @Parameter(description = "Part of the hostname (any case), or the start of the id") @QueryParam("q") String q,
            @Parameter(description = "product@version, or product: agents that reported it installed")
            @QueryParam("installed") String installed,
            @QueryParam("offset") @DefaultValue("0") @Min(0) int offset,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        Agents.Page page = agents.list(AgentFilter.parse(site, labels, state, q, installed), offset, limit);
        return RestResponse.ResponseBuilder.ok(page.items()).header(TOTAL_COUNT, page.total()).build();
    }

    @GET
    @Path("counts")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER})
    @Operation(summary = "Count agents by site: active, silent (active, no check-in for 10 minutes) and revoked;"
            + " one entry per site that has agents, in name order, agents on no site last (site null)")
    public List<AgentCounts> counts() {
        return agents.counts(Instant.now());
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
