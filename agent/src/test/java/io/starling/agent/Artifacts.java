package io.starling.agent;

import io.starling.protocol.manifest.ArtifactEntry;
import io.starling.protocol.torrent.HashResult;
import io.starling.protocol.torrent.StreamingHasher;
import io.starling.protocol.torrent.TorrentMetainfo;
import java.util.HexFormat;
import java.util.List;

/** Artifact entries and torrents with real hashes, made the way the control plane makes them. */
public final class Artifacts {

    /** The smallest piece length BEP 52 allows, so that small test files still have several pieces. */
    public static final int PIECE_LENGTH = 16 * 1024;

    private Artifacts() {
    }

    public static ArtifactEntry entry(String name, byte[] bytes) {
        HashResult h = hash(bytes);
        byte[] info = TorrentMetainfo.infoDict(name, h);
        HexFormat hex = HexFormat.of();
        return new ArtifactEntry(name, bytes.length, h.sha256Hex(), hex.formatHex(TorrentMetainfo.v1InfoHash(info)),
                hex.formatHex(TorrentMetainfo.v2InfoHash(info)), PIECE_LENGTH);
    }

    /** A per-agent .torrent for {@code bytes}, with an announce URL and a web seed as the control plane sends. */
    public static byte[] torrent(String name, byte[] bytes) {
        return torrent(name, bytes, "https://starling.example.com/announce/pk-abc", List.of("https://starling.example.com/seed/"));
    }

    /** The same, with the tracker and web seeds a test runs (a web seed URL ends with '/', BEP 19). */
    public static byte[] torrent(String name, byte[] bytes, String announce, List<String> webSeeds) {
        HashResult h = hash(bytes);
        return TorrentMetainfo.torrent(TorrentMetainfo.infoDict(name, h), h, announce, webSeeds, "starling", 1_790_000_000L);
    }

    /** {@code size} bytes of a pattern that differs from piece to piece. */
    public static byte[] pattern(int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) ((i * 31L + 7) % 251);
        }
        return data;
    }

    private static HashResult hash(byte[] bytes) {
        try (StreamingHasher hasher = new StreamingHasher(PIECE_LENGTH, Runnable::run, 1)) {
            hasher.update(bytes, 0, bytes.length);
            return hasher.finish();
        }
    }
}
