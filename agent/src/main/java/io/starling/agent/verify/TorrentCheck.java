package io.starling.agent.verify;

import static io.starling.protocol.manifest.ManifestRejectedException.Reason.BAD_ARTIFACT;

import io.starling.protocol.bencode.Bencode;
import io.starling.protocol.bencode.BencodeException;
import io.starling.protocol.manifest.ArtifactEntry;
import io.starling.protocol.manifest.ManifestRejectedException;
import io.starling.protocol.torrent.TorrentMetainfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether a .torrent the control plane handed out is the one for an artifact of the signed
 * manifest. The torrent travels outside the signature (each agent's carries its own passkey), so
 * it is trusted only as far as its info dictionary hashes to the manifest's info-hashes: then the
 * swarm, piece hashes and file name are the signed ones, whatever else the torrent says.
 *
 * <p>The info-hashes are over the info dictionary's exact bytes. Protocol's {@link Bencode}
 * decodes to values, not spans, so the torrent must be canonical bencode (sorted keys, as the
 * control plane writes it): then re-encoding it gives back the very bytes, and the re-encoded
 * info dictionary is the one in the file.
 */
public final class TorrentCheck {

    private TorrentCheck() {
    }

    /** @throws ManifestRejectedException BAD_ARTIFACT, its message starting with the artifact's name */
    public static void verify(ArtifactEntry entry, byte[] torrentBytes) {
        Object decoded;
        try {
            decoded = Bencode.decode(torrentBytes);
        } catch (BencodeException e) {
            throw rejected(entry, "torrent is not valid bencode: " + e.getMessage());
        }
        if (!(decoded instanceof Map<?, ?> torrent) || !(torrent.get("info") instanceof Map<?, ?> info)) {
            throw rejected(entry, "torrent has no info dictionary");
        }
        if (!Arrays.equals(Bencode.encode(rawKeys(torrent)), torrentBytes)) {
            throw rejected(entry, "torrent is not canonical bencode (unsorted keys)");
        }
        byte[] infoBytes = Bencode.encode(rawKeys(info));

        HexFormat hex = HexFormat.of();
        String v1 = hex.formatHex(TorrentMetainfo.v1InfoHash(infoBytes));
        if (!v1.equals(entry.infoHashV1())) {
            throw rejected(entry, "torrent's v1 info-hash is " + v1 + ", the manifest says " + entry.infoHashV1());
        }
        String v2 = hex.formatHex(TorrentMetainfo.v2InfoHash(infoBytes));
        if (!v2.equals(entry.infoHashV2())) {
            throw rejected(entry, "torrent's v2 info-hash is " + v2 + ", the manifest says " + entry.infoHashV2());
        }
        // Implied by the hashes for any manifest the control plane built; checked so that a
        // manifest naming one file and the info-hashes of another cannot pass either.
        String name = info.get("name") instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : null;
        if (!entry.name().equals(name)) {
            throw rejected(entry, "torrent names the file " + name);
        }
        if (!(info.get("length") instanceof Long length) || length != entry.size()) {
            throw rejected(entry, "torrent's length is " + info.get("length") + ", the manifest says " + entry.size());
        }
        if (!(info.get("piece length") instanceof Long pieceLength) || pieceLength != entry.pieceLength()) {
            throw rejected(entry, "torrent's piece length is " + info.get("piece length")
                    + ", the manifest says " + entry.pieceLength());
        }
    }

    /** Decoded keys back to their raw bytes, since {@link Bencode#encode} writes String keys as UTF-8. */
    private static Object rawKeys(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> raw = new LinkedHashMap<>();
            map.forEach((k, v) -> raw.put(Bencode.keyBytes((String) k), rawKeys(v)));
            return raw;
        }
        if (value instanceof List<?> list) {
            List<Object> raw = new ArrayList<>(list.size());
            list.forEach(v -> raw.add(rawKeys(v)));
            return raw;
        }
        return value;
    }

    private static ManifestRejectedException rejected(ArtifactEntry entry, String why) {
        return new ManifestRejectedException(BAD_ARTIFACT, entry.name() + ": " + why);
    }
}
