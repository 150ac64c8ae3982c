package io.starling.controlplane.catalog;

import io.starling.controlplane.security.Caller;
import io.starling.controlplane.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/products/{product}/releases")
@Tag(name = "Catalogue")
@SecurityRequirement(name = "SecurityScheme")
public class ReleaseResource {

    private final Catalog catalog;
    private final Caller caller;

    ReleaseResource(Catalog catalog, Caller caller) {
        this.catalog = catalog;
        this.caller = caller;
    }

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER})
    @Operation(summary = "Create a draft release")
    public Response create(@PathParam("product") String product, @NotNull @Valid ReleaseRequest request,
            @Context UriInfo uri) {
        ReleaseView created = catalog.createRelease(product, request, caller.name());
        return Response.created(uri.getAbsolutePathBuilder().path(created.version()).build()).entity(created).build();
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER, Roles.OPERATOR, Roles.VIEWER})
    @Operation(summary = "List a product's releases, newest first")
    public List<ReleaseView> list(@PathParam("product") String product) {
        return catalog.releases(product);
    }

    @GET
    @Path("{version}")
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER, Roles.OPERATOR, Roles.VIEWER})
    @Operation(summary = "Read a release with its artifacts")
    public ReleaseView get(@PathParam("product") String product, @PathParam("version") String version) {
        return catalog.release(product, version);
    }

    @POST
    @Path("{version}/revoke")
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER})
    @Operation(summary = "Revoke a published release")
    public ReleaseView revoke(@PathParam("product") String product, @PathParam("version") String version) {
        return catalog.revoke(product, version);
    }
}
