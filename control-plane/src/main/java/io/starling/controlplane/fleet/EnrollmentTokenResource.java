package io.starling.controlplane.fleet;

import io.starling.controlplane.security.Caller;
import io.starling.controlplane.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
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

@Path("/api/v1/enrollment-tokens")
@Tag(name = "Fleet")
@SecurityRequirement(name = "SecurityScheme")
public class EnrollmentTokenResource {

    private static final EnrollmentTokenRequest DEFAULTS = new EnrollmentTokenRequest(null, null, null, null);

    private final EnrollmentTokens tokens;
    private final Caller caller;

    EnrollmentTokenResource(EnrollmentTokens tokens, Caller caller) {
        this.tokens = tokens;
        this.caller = caller;
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Create an enrollment token; its value is in this answer only")
    public Response create(@Valid EnrollmentTokenRequest request, @Context UriInfo uri) {
        EnrollmentTokenView created = tokens.create(request == null ? DEFAULTS : request, caller.name());
        return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build())
                .header("Cache-Control", "no-store")
                .entity(created).build();
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
    @Operation(summary = "List enrollment tokens, newest first (never their values)")
    public List<EnrollmentTokenView> list() {
        return tokens.list();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
    @Operation(summary = "Read an enrollment token (never its value)")
    public EnrollmentTokenView get(@PathParam("id") String id) {
        return tokens.token(id);
    }

    @POST
    @Path("{id}/revoke")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Revoke an enrollment token: no further machine enrolls with it")
    public EnrollmentTokenView revoke(@PathParam("id") String id) {
        return tokens.revoke(id, caller.name());
    }
}
