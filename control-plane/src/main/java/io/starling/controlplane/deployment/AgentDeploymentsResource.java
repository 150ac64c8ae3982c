package io.starling.controlplane.deployment;

import io.starling.controlplane.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/agents/{id}/deployments")
@Tag(name = "Deployments")
@SecurityRequirement(name = "SecurityScheme")
public class AgentDeploymentsResource {

    private final Deployments deployments;

    AgentDeploymentsResource(Deployments deployments) {
        this.deployments = deployments;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER})
    @Operation(summary = "Every deployment of one agent, newest first")
    public List<DeploymentView> list(@PathParam("id") String agentId) {
        return deployments.ofAgent(agentId);
    }
}
