package io.starling.controlplane.passkey;

import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.security.Caller;
import io.starling.controlplane.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/passkeys")
@Tag(name = "Tracker")
@SecurityRequirement(name = "SecurityScheme")
@RolesAllowed(Roles.ADMIN)
public class PasskeyResource {

    private final Passkeys passkeys;
    private final Caller caller;

    PasskeyResource(Passkeys passkeys, Caller caller) {
        this.passkeys = passkeys;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "Create a tracker passkey (agents get theirs at enrollment)")
    public Response create(@Valid PasskeyRequest request) {
        if (caller.isAgent()) {
            // Even a client that also holds the admin role: an agent's passkeys are the one from enrollment.
            throw new DomainException.Forbidden("Passkeys are made for people; an agent has the one from enrollment.");
        }
        String owner = request == null || request.owner() == null ? caller.name() : request.owner();
        String label = request == null ? null : request.label();
        String site = request == null ? null : request.site();
        return Response.status(Response.Status.CREATED).entity(passkeys.create(owner, label, site)).build();
    }

    @GET
    @Operation(summary = "List passkeys")
    public List<PasskeyView> list() {
        return passkeys.list();
    }

    @POST
    @Path("{passkey}/revoke")
    @Operation(summary = "Revoke a passkey: its holder is refused by the tracker and the web seed")
    public PasskeyView revoke(@PathParam("passkey") String passkey) {
        return passkeys.revoke(passkey);
    }
}
