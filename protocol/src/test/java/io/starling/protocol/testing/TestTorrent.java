package io.starling.protocol.testing;

import io.starling.protocol.manifest.ArtifactEntry;
import io.starling.protocol.torrent.HashResult;
import io.starling.protocol.torrent.StreamingHasher;
import io.starling.protocol.torrent.TorrentMetainfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

/**
 * One file's contents and a private hybrid torrent of it, made the way the control plane makes
 * them (protocol's {@link StreamingHasher} and {@link TorrentMetainfo}).
 *
 * <pre>{@code
 * TestTorrent t = TestTorrent.of("app.zip", TestBytes.random(4 << 20)).webSeeds(List.of(url)).build();
 * t.writeInto(seederDir);
 * }</pre>
 *
 * @param data    the file's contents
 * @param torrent the .torrent
 */
public record TestTorrent(String name, byte[] data, byte[] torrent, int pieceLength, String sha256, String infoHashV1,
                          String infoHashV2) {

    /** The smallest piece length BEP 52 allows, so that small test files still have several pieces. */
    public static final int SMALLEST_PIECE = 16 * 1024;
    /** Port 9 (discard) on loopback refuses connections: a tracker that is never reachable. */
    public static final String UNREACHABLE_TRACKER = "http://127.0.0.1:9/announce/test-passkey";

    public static Builder of(String name, byte[] data) {
        return new Builder(name, data);
    }

    public long size() {
        return data.length;
    }

    /** The manifest's entry for this file. */
    public ArtifactEntry entry() {
        return new ArtifactEntry(name, data.length, sha256, infoHashV1, infoHashV2, pieceLength);
    }

    /** Writes the file into {@code dir} (created if needed), where a seeder finds it complete. */
    public Path writeInto(Path dir) throws IOException {
        Files.createDirectories(dir);
        return Files.write(dir.resolve(name), data);
    }

    /** Defaults: the smallest piece length, an unreachable tracker, no web seeds. */
    public static final class Builder {
        private final String name;
        private final byte[] data;
        private int pieceLength = SMALLEST_PIECE;
        private String announce = UNREACHABLE_TRACKER;
        private List<String> webSeeds = List.of();
        private String sslRootCert;

        private Builder(String name, byte[] data) {
            this.name = name;
            this.data = data;
        }

        /** A power of two of at least 16 KiB (BEP 52). */
        public Builder pieceLength(int value) {
            pieceLength = value;
            return this;
        }

        /** The tracker URL, or null for a torrent without one. */
        public Builder announce(String url) {
            announce = url;
            return this;
        }

        /** Web seed URLs; one that names a folder ends with '/' (BEP 19). */
        public Builder webSeeds(List<String> urls) {
            webSeeds = urls;
            return this;
        }

        /** An SSL torrent whose peers need a certificate from this CA (PEM); null for a plain one. */
        public Builder sslRootCert(String pem) {
            sslRootCert = pem;
            return this;
        }

        public TestTorrent build() {
            HashResult h;
            try (StreamingHasher hasher = new StreamingHasher(pieceLength, Runnable::run, 1)) {
                hasher.update(data, 0, data.length);
                h = hasher.finish();
            }
            byte[] info = TorrentMetainfo.infoDict(name, h, sslRootCert);
            byte[] torrent = TorrentMetainfo.torrent(info, h, announce, webSeeds, "starling-test", 1_790_000_000L);
            HexFormat hex = HexFormat.of();
            return new TestTorrent(name, data, torrent, pieceLength, h.sha256Hex(),
                    hex.formatHex(TorrentMetainfo.v1InfoHash(info)), hex.formatHex(TorrentMetainfo.v2InfoHash(info)));
        }
    }
}
