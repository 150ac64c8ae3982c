package io.starling.controlplane.signing;

import io.starling.controlplane.security.Caller;
import io.starling.controlplane.security.Roles;
import io.starling.protocol.keys.SignedKeySet;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/signing-keys")
@Tag(name = "Signing")
@SecurityRequirement(name = "SecurityScheme")
public class SigningKeyResource {

    private final KeyRotation rotation;
    private final Caller caller;

    SigningKeyResource(KeyRotation rotation, Caller caller) {
        this.rotation = rotation;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER, Roles.OPERATOR, Roles.VIEWER, Roles.AGENT})
    @Operation(summary = "Manifest keys: the one signing now, those agents trust, those pending or revoked")
    public List<SigningKeyView> list() {
        return rotation.list();
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Make a new manifest signing key; it stays pending until a key set signed by the root trusts it")
    public Response create() {
        SigningKeyView key = rotation.create(caller.name());
        return Response.created(URI.create("/api/v1/signing-keys")).entity(key).build();
    }

    @GET
    @Path("key-set")
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER, Roles.OPERATOR, Roles.VIEWER, Roles.AGENT})
    @Operation(summary = "The key set in force, as the offline root signed it (what agents receive)")
    public SignedKeySet keySet() {
        return rotation.current();
    }

    @GET
    @Path("key-set/summary")
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER, Roles.OPERATOR, Roles.VIEWER})
    @Operation(summary = "The key set in force, read: version, expiry, trusted and revoked keys, the key signing now")
    public KeySetView summary() {
        return rotation.currentView();
    }

    @PUT
    @Path("key-set")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Upload a key set signed by the offline root (starling-agent keys sign): signing switches to"
            + " the newest trusted key this control plane holds, and every published release is signed again")
    public KeySetView upload(@NotNull(message = "must be a JSON object with keySet and signature, as starling-agent keys sign"
            + " writes it") SignedKeySet signed) {
        return rotation.upload(signed, caller.name());
    }
}
