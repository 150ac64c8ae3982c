package io.starling.controlplane.tracker;

import io.starling.controlplane.catalog.Catalog;
import io.starling.controlplane.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A release's swarms. Its own root path: JAX-RS picks the root resource by its path first, so
 * this sub-path must not hang off a class rooted at {@code /api/v1}.
 */
@Path("/api/v1/products/{product}/releases/{version}/swarms")
@Tag(name = "Tracker")
@SecurityRequirement(name = "SecurityScheme")
public class ReleaseSwarmResource {

    private final SwarmReport swarms;

    ReleaseSwarmResource(SwarmReport swarms) {
        this.swarms = swarms;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER, Roles.OPERATOR, Roles.VIEWER})
    @Operation(summary = "The swarms of one release's artifacts")
    public List<SwarmView> get(@PathParam("product") String product, @PathParam("version") String version) {
        Catalog.requireReleaseExists(product, version);
        return swarms.ofRelease(product, version);
    }
}
