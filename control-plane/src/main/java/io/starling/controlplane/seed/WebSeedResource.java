package io.starling.controlplane.seed;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.starling.controlplane.catalog.Artifact;
import io.starling.controlplane.catalog.BlobStore;
import io.starling.controlplane.catalog.ReleaseState;
import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.common.Names;
import io.starling.controlplane.passkey.PasskeyDirectory;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.PathPart;

/**
 * The HTTP web seed (BEP 19): the bytes of published artifacts, by Range, for the first peer of
 * a site and as a last resort. BitTorrent clients send no bearer token, so the passkey in the
 * URL is the credential, checked on every request: it must be active, and an agent's passkey
 * fetches only releases deployed to that agent.
 */
@Path("/seed/{passkey}/{product}/{version}/{file}")
@Tag(name = "Web seed")
@PermitAll // authenticated by the passkey in the path, see above
public class WebSeedResource {

    private static final String OCTETS = "application/octet-stream";

    private final PasskeyDirectory passkeys;
    private final BlobStore blobs;
    private final ServedBytes served;
    private final OriginSeeder seeder;
    private final ReleaseEntitlement entitlement;
    private final SeedCache cache;

    WebSeedResource(PasskeyDirectory passkeys, BlobStore blobs, ServedBytes served, OriginSeeder seeder,
            ReleaseEntitlement entitlement, SeedCache cache) {
        this.passkeys = passkeys;
        this.cache = cache;
        this.entitlement = entitlement;
        this.blobs = blobs;
        this.served = served;
        this.seeder = seeder;
    }

    @GET
    @Operation(summary = "Artifact bytes for BitTorrent web seeding (Range, If-Range, ETag)")
    public Response get(@PathParam("passkey") String passkey, @PathParam("product") String product,
            @PathParam("version") String version, @PathParam("file") String file,
            @HeaderParam("Range") String range, @HeaderParam("If-Range") String ifRange) {
        return serve(passkey, product, version, file, range, ifRange, true);
    }

    @HEAD
    public Response head(@PathParam("passkey") String passkey, @PathParam("product") String product,
            @PathParam("version") String version, @PathParam("file") String file,
            @HeaderParam("Range") String range, @HeaderParam("If-Range") String ifRange) {
        return serve(passkey, product, version, file, range, ifRange, false);
    }

    private Response serve(String passkey, String product, String version, String file, String range,
            String ifRange, boolean body) {
        PasskeyDirectory.Entry holder = passkeys.requireActive(passkey);
        Served a = QuarkusTransaction.joiningExisting().call(() -> {
            Served found = lookup(product, version, file);
            // An agent's passkey fetches what is deployed to it; a person's, any published release
            // (every role a person's passkey can be made by may read the catalogue).
            if (holder.agentId() != null && !entitlement.agentMayFetch(holder.agentId(), found.releaseId)) {
                throw new DomainException.Forbidden("This passkey's agent has no deployment of " + product + " "
                        + version + ".");
            }
            return found;
        });
        if (seeder.isCorrupt(a.infoHashV1)) {
            // The origin seeder's verification found these bytes changed on disk: the web seed
            // honours the same verdict rather than hand out bytes clients would throw away.
            throw new DomainException.Unavailable("The stored bytes of " + file + " failed verification; "
                    + "an operator has to restore them (see docs/operations.md).");
        }
        String etag = "\"" + a.sha256 + "\"";
        // A local file (the file store's, or the seed cache's copy of an S3 blob) goes out zero-copy;
        // otherwise the range is read from the object store as it is sent.
        Optional<java.nio.file.Path> path = cache.ifLocal(a.blobKey);
        // If-Range with anything but our current strong ETag means "send the whole, current file".
        boolean rangeApplies = ifRange == null || ifRange.equals(etag);
        ByteRange.Decision decision = rangeApplies ? ByteRange.decide(range, a.size) : new ByteRange.Whole();
        Response.ResponseBuilder response;
        long count;
        if (decision instanceof ByteRange.Partial p) {
            count = p.range().length();
            response = Response.status(206)
                    .header("Content-Range", "bytes " + p.range().first() + "-" + p.range().last() + "/" + a.size)
                    .entity(body ? bytes(a.blobKey, path, p.range().first(), count, file) : null);
        } else if (decision instanceof ByteRange.Unsatisfiable) {
            return Response.status(416).header("Content-Range", "bytes */" + a.size)
                    .header("Accept-Ranges", "bytes").header("ETag", etag).build();
        } else {
            count = a.size;
            response = Response.ok(body ? bytes(a.blobKey, path, 0, a.size, file) : null);
        }
        if (body) {
            served.webSeedServed(a.infoHashV1, count);
        }
        return response.type(OCTETS)
                .header("Accept-Ranges", "bytes")
                .header("ETag", etag)
                .header(HttpHeaders.CONTENT_LENGTH, count)
                .build();
    }

    /** Opens the store's stream before the status is sent, so that a missing blob is a 404, not a cut-off body. */
    private Object bytes(String key, Optional<java.nio.file.Path> path, long first, long count, String file) {
        if (path.isPresent()) {
            return new PathPart(path.get(), first, count);
        }
        InputStream in;
        try {
            in = blobs.open(key, first, count);
        } catch (NoSuchFileException e) {
            throw new DomainException.NotFound("The bytes of " + file + " are not available on this server.");
        } catch (IOException e) {
            throw new DomainException.Unavailable("The bytes of " + file + " cannot be read from the blob store now ("
                    + e.getMessage() + "); try again later.");
        }
        return (StreamingOutput) out -> {
            try (InputStream range = in) {
                byte[] buffer = new byte[64 * 1024];
                long left = count;
                while (left > 0) {
                    int n = range.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        throw new IOException("The blob store ended " + left + " bytes short of " + file);
                    }
                    out.write(buffer, 0, n);
                    left -= n;
                }
            }
        };
    }

    record Served(String sha256, String blobKey, long size, String infoHashV1, long releaseId) {
    }

    private static Served lookup(String product, String version, String file) {
        Names.product(product);
        Names.version(version);
        Names.file(file);
        Artifact a = Artifact.find(product, version, file)
                .filter(x -> x.release.state() == ReleaseState.PUBLISHED)
                .orElseThrow(() -> new DomainException.NotFound("No published artifact " + file + " in "
                        + product + " " + version + "."));
        return new Served(a.sha256, a.blobKey, a.size, a.infoHashV1, a.release.id);
    }
}
