package io.starling.controlplane.catalog;

import io.smallrye.common.annotation.Blocking;
import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.security.Roles;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/products/{product}/releases/{version}/artifacts")
@Tag(name = "Catalogue")
@SecurityRequirement(name = "SecurityScheme")
public class ArtifactResource {

    static final String SHA256_HEADER = "X-Starling-Sha256";
    /** RFC 9530: {@code Content-Digest: sha-256=:<base64>:} */
    private static final Pattern CONTENT_DIGEST = Pattern.compile("(?:^|,)\\s*sha-256=:([A-Za-z0-9+/=]+):");
    private static final Pattern HEX_SHA256 = Pattern.compile("^[0-9a-fA-F]{64}$");
    /** Bytes the event loop may queue ahead of the hashing thread before the connection is paused. */
    private static final long BODY_QUEUE_BYTES = 16L * 1024 * 1024;
    private static final long BODY_TIMEOUT_MS = 120_000;

    private final ArtifactUpload upload;
    private final PartedUploads parted;
    private final Catalog catalog;

    ArtifactResource(ArtifactUpload upload, PartedUploads parted, Catalog catalog) {
        this.upload = upload;
        this.parted = parted;
        this.catalog = catalog;
    }

    @PUT
    @Path("{file}")
    @Consumes(MediaType.WILDCARD)
    @Blocking
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER})
    @Operation(summary = "Upload an artifact (streamed; curl -T file URL)",
            description = "Stores the body under the file name, computing SHA-256 and torrent piece hashes on the way in. "
                    + "Declare the expected SHA-256 with X-Starling-Sha256 (hex) or Content-Digest (RFC 9530) to have it checked.")
    public Response put(@PathParam("product") String product, @PathParam("version") String version,
            @PathParam("file") String file, @HeaderParam("Content-Length") Long contentLength,
            @Parameter(description = "Expected SHA-256, hex") @HeaderParam(SHA256_HEADER) String declaredHex,
            @HeaderParam("Content-Digest") String contentDigest, @Context HttpServerRequest request) {
        Optional<byte[]> declared = declaredSha256(declaredHex, contentDigest);
        return stored(upload.upload(product, version, file, contentLength, declared, bodyOf(request)));
    }

    /**
     * The request's body, opened on demand. The PUT methods take no body parameter, so the
     * framework leaves the body unread; it is read only once the service's checks passed.
     */
    private static Supplier<InputStream> bodyOf(HttpServerRequest request) {
        return () -> new RequestBodyStream(request, BODY_QUEUE_BYTES, BODY_TIMEOUT_MS);
    }

    /** 201 for a new artifact, 200 when it replaced one of the same name. */
    private static Response stored(ArtifactUpload.Stored stored) {
        return Response.status(stored.replaced() ? Response.Status.OK : Response.Status.CREATED)
                .entity(stored.artifact()).build();
    }

    @POST
    @Path("{file}/uploads")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER})
    @Operation(summary = "Start uploading an artifact in parts (the console's way: several parts in flight)",
            description = "Answers how to cut the file: send parts 1 to `parts` with PUT …/uploads/{uploadId}/parts/{n}, "
                    + "any order, several at a time, then POST …/uploads/{uploadId}/complete. All requests of one "
                    + "upload must reach the control plane replica that started it.")
    public Response startParted(@PathParam("product") String product, @PathParam("version") String version,
            @PathParam("file") String file, @Valid @NotNull PartedUploadRequest request) {
        Optional<byte[]> declared = declaredSha256(request.sha256(), null);
        PartedUploadView view = parted.create(product, version, file, request.size(), declared);
        return Response.status(Response.Status.CREATED).entity(view).build();
    }

    @PUT
    @Path("{file}/uploads/{upload}/parts/{part}")
    @Consumes(MediaType.WILDCARD)
    @Blocking
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER})
    @Operation(summary = "Upload one part (streamed)",
            description = "Its Content-Length must be the part's length: `partSize`, but for the last part, which has "
                    + "the rest of the file.")
    public UploadPartView putPart(@PathParam("product") String product, @PathParam("version") String version,
            @PathParam("file") String file, @PathParam("upload") String uploadId, @PathParam("part") int part,
            @HeaderParam("Content-Length") Long contentLength, @Context HttpServerRequest request) {
        return parted.part(product, version, file, uploadId, part, contentLength, bodyOf(request));
    }

    @POST
    @Path("{file}/uploads/{upload}/complete")
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER})
    @Operation(summary = "Complete an upload in parts: the artifact is stored as a single upload of the same bytes is")
    public Response completeParted(@PathParam("product") String product, @PathParam("version") String version,
            @PathParam("file") String file, @PathParam("upload") String uploadId) {
        return stored(parted.complete(product, version, file, uploadId));
    }

    @DELETE
    @Path("{file}/uploads/{upload}")
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER})
    @Operation(summary = "Cancel an upload in parts: its bytes are freed, parts still arriving are refused")
    public Response abortParted(@PathParam("product") String product, @PathParam("version") String version,
            @PathParam("file") String file, @PathParam("upload") String uploadId) {
        parted.abort(product, version, file, uploadId);
        return Response.noContent().build();
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER, Roles.OPERATOR, Roles.VIEWER})
    @Operation(summary = "List a release's artifacts")
    public List<ArtifactView> list(@PathParam("product") String product, @PathParam("version") String version) {
        return catalog.release(product, version).artifacts();
    }

    static Optional<byte[]> declaredSha256(String hex, String contentDigest) {
        if (hex != null && !hex.isBlank()) {
            if (!HEX_SHA256.matcher(hex.trim()).matches()) {
                throw new DomainException.Invalid(SHA256_HEADER + " must be 64 hex digits.");
            }
            return Optional.of(HexFormat.of().parseHex(hex.trim().toLowerCase()));
        }
        if (contentDigest != null && !contentDigest.isBlank()) {
            Matcher m = CONTENT_DIGEST.matcher(contentDigest);
            if (!m.find()) {
                throw new DomainException.Invalid("Content-Digest must carry sha-256=:<base64>: (RFC 9530).");
            }
            byte[] digest;
            try {
                digest = Base64.getDecoder().decode(m.group(1));
            } catch (IllegalArgumentException e) {
                digest = new byte[0];
            }
            if (digest.length != 32) {
                throw new DomainException.Invalid("Content-Digest's sha-256 value is not a 32-byte base64 digest.");
            }
            return Optional.of(digest);
        }
        return Optional.empty();
    }
}
