package io.starling.protocol.torrent;

import io.starling.protocol.bencode.Bencode;
import io.starling.protocol.bencode.BencodeException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hybrid (BEP 3 + BEP 52) single-file torrents.
 *
 * <p>The info dictionary is built once per artifact and then embedded byte for byte in every
 * per-agent .torrent, which differ only outside it (announce passkey, web seed URLs): the
 * info-hashes, and so the swarm, are the same for every agent.
 */
public final class TorrentMetainfo {

    private TorrentMetainfo() {
    }

    /**
     * The bencoded info dictionary. It carries the v1 single-file form ({@code length},
     * {@code pieces}) and the v2 form ({@code meta version}, {@code file tree}) of the same file;
     * a single file needs no BEP 47 pad files. {@code private} is set (BEP 27) because Starling
     * swarms must learn peers only from our tracker.
     */
    public static byte[] infoDict(String fileName, HashResult h) {
        return infoDict(fileName, h, null);
    }

    /**
     * Like {@link #infoDict(String, HashResult)}, for an SSL torrent when {@code sslRootCertPem} is
     * given: libtorrent then talks to this swarm's peers only over TLS, and only to peers whose
     * certificate that CA signed ({@code ssl-cert}, libtorrent's extension). The certificate is part
     * of the info dictionary, so the swarm's CA cannot be swapped without changing the info-hashes.
     *
     * @param sslRootCertPem the swarm CA's certificate in PEM, or null for a plain torrent
     */
    public static byte[] infoDict(String fileName, HashResult h, String sslRootCertPem) {
        requireSafeFileName(fileName);
        Map<String, Object> fileEntry = Map.of("", Map.of("length", h.size(), "pieces root", h.v2PiecesRoot()));
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("file tree", Map.of(fileName, fileEntry));
        info.put("length", h.size());
        info.put("meta version", 2);
        info.put("name", fileName);
        info.put("piece length", h.pieceLength());
        info.put("pieces", h.v1Pieces());
        info.put("private", 1);
        if (sslRootCertPem != null) {
            info.put("ssl-cert", sslRootCertPem);
        }
        return Bencode.encode(info);
    }

    /** Whether an info dictionary is an SSL torrent's: it carries the swarm CA ({@code ssl-cert}). */
    public static boolean isSsl(byte[] infoDict) {
        return Bencode.decode(infoDict) instanceof Map<?, ?> info && info.containsKey("ssl-cert");
    }

    /** SHA-1 of the info dictionary: the v1 info-hash. */
    public static byte[] v1InfoHash(byte[] infoDict) {
        return Merkle.sha1().digest(infoDict);
    }

    /** SHA-256 of the info dictionary: the full v2 info-hash (the wire protocol truncates it to 20 bytes). */
    public static byte[] v2InfoHash(byte[] infoDict) {
        return Merkle.sha256().digest(infoDict);
    }

    /**
     * A complete .torrent around an existing info dictionary.
     *
     * @param announceUrl  the tracker, with the agent's passkey; null for none
     * @param webSeedUrls  BEP 19 {@code url-list}; null or empty for none
     * @param createdBy    null for none
     */
    public static byte[] torrent(byte[] infoDict, HashResult h, String announceUrl, List<String> webSeedUrls,
                                 String createdBy, long creationDateEpochSeconds) {
        requireDictionary(infoDict);
        Map<Object, Object> torrent = new LinkedHashMap<>();
        if (announceUrl != null) {
            torrent.put("announce", announceUrl);
        }
        if (createdBy != null) {
            torrent.put("created by", createdBy);
        }
        torrent.put("creation date", creationDateEpochSeconds);
        torrent.put("info", new Bencode.Raw(infoDict));
        // BEP 52: files of one piece or less have no layer; their pieces root already covers them.
        if (h.v2PieceLayer().length > 0) {
            torrent.put("piece layers", Map.of(h.v2PiecesRoot(), h.v2PieceLayer()));
        }
        if (webSeedUrls != null && !webSeedUrls.isEmpty()) {
            torrent.put("url-list", webSeedUrls);
        }
        return Bencode.encode(torrent);
    }

    private static void requireDictionary(byte[] infoDict) {
        Object decoded;
        try {
            decoded = Bencode.decode(infoDict);
        } catch (BencodeException e) {
            throw new IllegalArgumentException("info dictionary is not valid bencode: " + e.getMessage(), e);
        }
        if (!(decoded instanceof Map)) {
            throw new IllegalArgumentException("info dictionary is not a dictionary");
        }
    }

    private static void requireSafeFileName(String name) {
        // BEP 52 forbids path separators in file tree names; "." and ".." would escape the save path.
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..")
                || name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a usable torrent file name: " + name);
        }
    }
}
