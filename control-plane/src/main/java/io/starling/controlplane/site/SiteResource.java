package io.starling.controlplane.site;

import io.starling.controlplane.security.Caller;
import io.starling.controlplane.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/sites")
@Tag(name = "Fleet")
@SecurityRequirement(name = "SecurityScheme")
public class SiteResource {

    private final Sites sites;
    private final Caller caller;

    SiteResource(Sites sites, Caller caller) {
        this.sites = sites;
        this.caller = caller;
    }

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    @Operation(summary = "Create a site from its address ranges")
    public Response create(@NotNull @Valid SiteRequest request, @Context UriInfo uri) {
        SiteView created = sites.create(request, caller.name());
        return Response.created(uri.getAbsolutePathBuilder().path(created.name()).build()).entity(created).build();
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER, Roles.OPERATOR, Roles.VIEWER})
    @Operation(summary = "List sites")
    public List<SiteView> list() {
        return sites.sites();
    }

    @GET
    @Path("{site}")
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER, Roles.OPERATOR, Roles.VIEWER})
    @Operation(summary = "Read a site")
    public SiteView get(@PathParam("site") String site) {
        return sites.site(site);
    }

    @PUT
    @Path("{site}")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    @Operation(summary = "Replace a site's description and address ranges")
    public SiteView update(@PathParam("site") String site, @NotNull @Valid SiteRequest request) {
        return sites.update(site, request, caller.name());
    }

    @DELETE
    @Path("{site}")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    @Operation(summary = "Delete a site; its peers then count as being on no site")
    public Response delete(@PathParam("site") String site) {
        sites.delete(site);
        return Response.noContent().build();
    }
}
