package io.starling.controlplane.seed;

import io.starling.controlplane.catalog.Artifact;
import io.starling.controlplane.catalog.ReleaseState;
import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.common.StarlingConfig;
import io.starling.protocol.torrent.HashResult;
import io.starling.protocol.torrent.TorrentMetainfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds the .torrent one holder downloads: the info dictionary fixed at publish time (so every
 * holder joins the same swarm), with announce and web seed URLs that carry the holder's passkey.
 */
@ApplicationScoped
public class TorrentFiles {

    private final StarlingConfig config;

    TorrentFiles(StarlingConfig config) {
        this.config = config;
    }

    @Transactional
    public byte[] torrent(String product, String version, String file, String passkey, URI requestBase,
            boolean withWebSeed) {
        Artifact a = Artifact.find(product, version, file).orElseThrow(
                () -> new DomainException.NotFound("No artifact " + file + " in " + product + " " + version + "."));
        if (a.release.state() == ReleaseState.DRAFT) {
            throw new DomainException.NotFound("Release " + product + " " + version
                    + " is a draft; its torrents exist once it is published.");
        }
        if (a.release.state() == ReleaseState.REVOKED) {
            throw new DomainException.Conflict("Release " + product + " " + version + " was revoked; it is no longer distributed.");
        }
        String base = baseUrl(requestBase);
        String announce = base + "/announce/" + passkey;
        String webSeed = base + "/seed/" + passkey + "/" + product + "/" + version + "/" + file;
        return TorrentMetainfo.torrent(a.infoDict, hashes(a), announce, withWebSeed ? List.of(webSeed) : List.of(), "Starling",
                a.release.publishedAt.getEpochSecond());
    }

    /**
     * The torrent the origin seeder seeds: the same info dictionary, and so the same swarm, with
     * neither tracker nor web seed. The tracker lists the origin as a peer; the origin itself
     * announces nowhere and never fetches from its own web seed. Call inside a transaction.
     */
    static byte[] originTorrent(Artifact a) {
        return TorrentMetainfo.torrent(a.infoDict, hashes(a), null, null, "Starling",
                a.release.publishedAt.getEpochSecond());
    }

    private static HashResult hashes(Artifact a) {
        return new HashResult(a.size, a.pieceLength, HexFormat.of().parseHex(a.sha256), a.v1Pieces,
                a.v2PiecesRoot, a.v2PieceLayer);
    }

    private String baseUrl(URI requestBase) {
        String base = config.publicUrl().orElse(requestBase.toString());
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
