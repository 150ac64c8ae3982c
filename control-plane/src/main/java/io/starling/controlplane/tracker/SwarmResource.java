package io.starling.controlplane.tracker;

import io.starling.controlplane.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/swarms")
@Tag(name = "Tracker")
@SecurityRequirement(name = "SecurityScheme")
public class SwarmResource {

    private final SwarmReport report;

    SwarmResource(SwarmReport report) {
        this.report = report;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER, Roles.OPERATOR, Roles.VIEWER})
    @Operation(summary = "Every tracked swarm: peers, completions and bytes by source")
    public List<SwarmView> all() {
        return report.all();
    }
}
