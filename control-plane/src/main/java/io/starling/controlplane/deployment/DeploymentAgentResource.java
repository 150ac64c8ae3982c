package io.starling.controlplane.deployment;

import io.starling.controlplane.fleet.CallingAgent;
import io.starling.controlplane.security.Roles;
import io.starling.controlplane.seed.TorrentResource;
import io.starling.protocol.agent.DeploymentStatusReport;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The agent's side of its deployments. Another agent's deployment is a 404, as if it did not exist. */
@Path("/api/agent/v1/deployments/{id}")
@Tag(name = "Agent")
@SecurityRequirement(name = "SecurityScheme")
public class DeploymentAgentResource {


    private final Deployments deployments;
    private final CallingAgent agent;

    DeploymentAgentResource(Deployments deployments, CallingAgent agent) {
        this.deployments = deployments;
        this.agent = agent;
    }

    @POST
    @Path("status")
    @RolesAllowed(Roles.AGENT)
    @Operation(summary = "Report state and progress of one of the caller's deployments",
            description = "The same state again is a progress update; another state must be a move the deployment"
                    + " state table allows (409 otherwise, e.g. when it was cancelled meanwhile).")
    @RequestBody(content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "progress", value = """
            {"state": "DOWNLOADING", "bytesDone": 402653184, "bytesTotal": 1073741824,
             "bytes": {"sameSitePeers": 301989888, "otherSitePeers": 0, "originSeeder": 67108864, "webSeed": 33554432}}""")))
    public DeploymentView status(@PathParam("id") String id, @NotNull DeploymentStatusReport report) {
        return deployments.report(agent.clientId(), id, report);
    }

    @GET
    @Path("artifacts/{file}/torrent")
    @Produces(TorrentResource.BITTORRENT)
    @RolesAllowed(Roles.AGENT)
    @Operation(summary = "The caller's own .torrent for one artifact: announce and web seed URLs carry its passkey")
    public Response torrent(@PathParam("id") String id, @PathParam("file") String file, @Context UriInfo uri) {
        byte[] torrent = deployments.torrent(agent.clientId(), id, file, uri.getBaseUri());
        return Response.ok(torrent, TorrentResource.BITTORRENT)
                .header("Content-Disposition", "attachment; filename=\"" + file + ".torrent\"")
                .build();
    }
}
