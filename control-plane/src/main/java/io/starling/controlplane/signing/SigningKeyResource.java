package io.starling.controlplane.signing;

import io.starling.controlplane.security.Roles;
import io.starling.protocol.manifest.Ed25519Keys;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/signing-keys")
@Tag(name = "Signing")
@SecurityRequirement(name = "SecurityScheme")
public class SigningKeyResource {

    private final SigningKey key;

    SigningKeyResource(SigningKey key) {
        this.key = key;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER, Roles.OPERATOR, Roles.VIEWER, Roles.AGENT})
    @Operation(summary = "Public keys that verify release manifests")
    public List<SigningKeyView> list() {
        return List.of(new SigningKeyView(key.keyId(), "Ed25519", true,
                Ed25519Keys.fingerprint(key.publicKey()), Ed25519Keys.toPem(key.publicKey())));
    }
}
