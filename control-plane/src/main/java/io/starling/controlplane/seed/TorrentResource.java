package io.starling.controlplane.seed;

import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.passkey.Passkeys;
import io.starling.controlplane.security.Caller;
import io.starling.controlplane.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A published artifact's .torrent for a person or a script: the same swarm the agents join. */
@Path("/api/v1/products/{product}/releases/{version}/artifacts/{file}/torrent")
@Tag(name = "Catalogue")
@SecurityRequirement(name = "SecurityScheme")
public class TorrentResource {

    public static final String BITTORRENT = "application/x-bittorrent";

    private final TorrentFiles torrents;
    private final Passkeys passkeys;
    private final Caller caller;

    TorrentResource(TorrentFiles torrents, Passkeys passkeys, Caller caller) {
        this.torrents = torrents;
        this.passkeys = passkeys;
        this.caller = caller;
    }

    @GET
    @Produces(BITTORRENT)
    @RolesAllowed({Roles.ADMIN, Roles.PUBLISHER, Roles.OPERATOR, Roles.VIEWER, Roles.AGENT})
    @Operation(summary = "The artifact's .torrent, with announce and web seed URLs for a passkey",
            description = "Without ?passkey= the caller's personal passkey is used (created on first use);"
                    + " agents get none and must pass theirs.")
    public Response torrent(@PathParam("product") String product, @PathParam("version") String version,
            @PathParam("file") String file, @QueryParam("passkey") String passkey,
            @Parameter(description = "false leaves out the web seed (BEP 19): peers and the origin seeder only")
            @QueryParam("webSeed") @DefaultValue("true") boolean webSeed, @Context UriInfo uri) {
        if (passkey == null && caller.isAgent()) {
            // A personal passkey would outlive the agent's revocation and fetch any release.
            throw new DomainException.Forbidden("Agents get no personal passkeys: pass ?passkey= with the passkey"
                    + " from enrollment, or fetch the torrent of a deployment from the agent API.");
        }
        String key = passkey == null ? passkeys.personal(caller.name()) : passkeys.requireActive(passkey).value;
        byte[] torrent = torrents.torrent(product, version, file, key, uri.getBaseUri(), webSeed);
        return Response.ok(torrent, BITTORRENT)
                .header("Content-Disposition", "attachment; filename=\"" + file + ".torrent\"")
                .build();
    }
}
