package io.starling.controlplane.signing;

import io.starling.controlplane.catalog.ReleaseView;
import io.starling.controlplane.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Base64;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Publishing a release (its torrents and signed manifest) and reading that manifest back. */
@Path("/api/v1/products/{product}/releases/{version}")
@Tag(name = "Catalogue")
@SecurityRequirement(name = "SecurityScheme")
public class PublicationResource {

    private final ManifestPublisher publisher;

    PublicationResource(ManifestPublisher publisher) {
        this.publisher = publisher;
    }

    @POST
    @Path("publish")
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER})
    @Operation(summary = "Publish a draft: build its torrents and sign its manifest")
    public ReleaseView publish(@PathParam("product") String product, @PathParam("version") String version) {
        return publisher.publish(product, version);
    }

    @GET
    @Path("manifest")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER, Roles.OPERATOR, Roles.VIEWER, Roles.AGENT})
    @Operation(summary = "The signed manifest, byte for byte as signed")
    public byte[] manifest(@PathParam("product") String product, @PathParam("version") String version) {
        return publisher.signed(product, version).bytes();
    }

    @GET
    @Path("manifest.sig")
    @Produces(MediaType.TEXT_PLAIN)
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER, Roles.OPERATOR, Roles.VIEWER, Roles.AGENT})
    @Operation(summary = "The manifest's Ed25519 signature, base64")
    public String signature(@PathParam("product") String product, @PathParam("version") String version) {
        return Base64.getEncoder().encodeToString(publisher.signed(product, version).signature()) + "\n";
    }
}
