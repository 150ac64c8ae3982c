package io.starling.controlplane.checkin;

import io.starling.controlplane.fleet.CallingAgent;
import io.starling.controlplane.security.Roles;
import io.starling.protocol.agent.CheckInRequest;
import io.starling.protocol.agent.CheckInResponse;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/agent/v1/check-in")
@Tag(name = "Agent")
@SecurityRequirement(name = "SecurityScheme")
public class CheckInResource {

    private final CheckIns checkIns;
    private final CallingAgent agent;

    CheckInResource(CheckIns checkIns, CallingAgent agent) {
        this.checkIns = checkIns;
        this.agent = agent;
    }

    @POST
    @RolesAllowed(Roles.AGENT)
    @Operation(summary = "Report inventory; get the deployments to work on and when to call again",
            description = "A revoked agent, or a client that is no enrolled agent, gets 401.")
    @RequestBody(content = @Content(mediaType = "application/json", examples = @ExampleObject(name = "check-in", value = """
            {"agentVersion": "0.1.0", "hostname": "ws-berlin-042", "address": "10.1.4.42", "freeDiskBytes": 52613349376,
             "installed": [{"product": "office-suite", "version": "2.4.0", "sequence": 2, "active": true}],
             "labels": ["finance"]}""")))
    public CheckInResponse checkIn(@NotNull CheckInRequest request, @Context HttpServerRequest http) {
        return checkIns.checkIn(agent.clientId(), request, http.remoteAddress().hostAddress());
    }
}
