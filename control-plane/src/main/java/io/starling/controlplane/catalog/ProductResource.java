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

@Path("/api/v1/products")
@Tag(name = "Catalogue")
@SecurityRequirement(name = "SecurityScheme")
public class ProductResource {

    private final Catalog catalog;
    private final Caller caller;

    ProductResource(Catalog catalog, Caller caller) {
        this.catalog = catalog;
        this.caller = caller;
    }

    @POST
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER})
    @Operation(summary = "Create a product")
    public Response create(@NotNull @Valid ProductRequest request, @Context UriInfo uri) {
        ProductView created = catalog.createProduct(request, caller.name());
        return Response.created(uri.getAbsolutePathBuilder().path(created.name()).build()).entity(created).build();
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER, Roles.OPERATOR, Roles.VIEWER})
    @Operation(summary = "List products")
    public List<ProductView> list() {
        return catalog.products();
    }

    @GET
    @Path("{product}")
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER, Roles.OPERATOR, Roles.VIEWER})
    @Operation(summary = "Read a product")
    public ProductView get(@PathParam("product") String product) {
        return catalog.product(product);
    }
}
