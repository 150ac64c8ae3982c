package io.starling.controlplane.deployment;

import io.starling.controlplane.security.Caller;
import io.starling.controlplane.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/deployments")
@Tag(name = "Deployments")
@SecurityRequirement(name = "SecurityScheme")
public class DeploymentResource {

    private final Deployments deployments;
    private final Caller caller;

    DeploymentResource(Deployments deployments, Caller caller) {
        this.deployments = deployments;
        this.caller = caller;
    }

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    @Operation(summary = "Deploy a published release to agents named by id, by site or by labels",
            description = "201 when at least one deployment was created, else 200; existing deployments are left alone.")
    public Response create(@NotNull @Valid DeploymentRequest request) {
        DeploymentBatchView batch = deployments.create(request, caller.name());
        return Response.status(batch.created().isEmpty() ? Response.Status.OK : Response.Status.CREATED)
                .entity(batch).build();
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER})
    @Operation(summary = "List deployments, newest first, with progress and bytes by source")
    public List<DeploymentView> list(@QueryParam("product") String product, @QueryParam("version") String version,
            @QueryParam("offset") @DefaultValue("0") @Min(0) int offset,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return deployments.list(product, version, offset, limit);
    }

    @GET
    @Path("bytes-by-day")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER})
    @Operation(summary = "Bytes by source per UTC day (peers against origin over time), every day of the last `days`",
            description = "Each deployment's cumulative bytes count on the day of its last report.")
    public List<DailyBytes> bytesByDay(@QueryParam("days") @DefaultValue("30") @Min(1) @Max(366) int days) {
        return deployments.bytesByDay(days, Instant.now());
    }

    @POST
    @Path("{id}/cancel")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    @Operation(summary = "Cancel a deployment the agent has not started installing")
    public DeploymentView cancel(@PathParam("id") String id) {
        return deployments.cancel(id, caller.name());
    }
}
