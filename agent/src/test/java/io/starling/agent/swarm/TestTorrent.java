package io.starling.agent.swarm;

import io.starling.protocol.torrent.HashResult;
import io.starling.protocol.torrent.StreamingHasher;
import io.starling.protocol.torrent.TorrentMetainfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * A file of random bytes and a private hybrid torrent of it, made the way the control plane
 * makes them (protocol's StreamingHasher and TorrentMetainfo).
 *
 * @param dir  the folder holding {@code name}: the save folder of a seeder
 * @param file the complete file
 */
public record TestTorrent(String name, byte[] bytes, Path dir, Path file, long size, int pieceLength, String sha256) {

    static final int PIECE = 256 * 1024;
    /** Port 9 (discard) on loopback refuses connections: a tracker that is never reachable. */
    public static final String UNREACHABLE_TRACKER = "http://127.0.0.1:9/announce/test-passkey";

    static Builder of(String name, int size) {
        return new Builder(name, size);
    }

    static final class Builder {
        private final String name;
        private final int size;
        private List<String> webSeeds = List.of();

        private Builder(String name, int size) {
            this.name = name;
            this.size = size;
        }

        Builder webSeeds(List<String> urls) {
            this.webSeeds = urls;
            return this;
        }

        TestTorrent writeInto(Path dir) throws IOException {
            byte[] data = new byte[size];
            new Random(name.hashCode() * 31L + size).nextBytes(data);
            Files.createDirectories(dir);
            Path file = dir.resolve(name);
            Files.write(file, data);
            HashResult h;
            try (StreamingHasher hasher = new StreamingHasher(PIECE, Runnable::run, 1)) {
                hasher.update(data, 0, data.length);
                h = hasher.finish();
            }
            byte[] info = TorrentMetainfo.infoDict(name, h);
            byte[] torrent = TorrentMetainfo.torrent(info, h, UNREACHABLE_TRACKER, webSeeds, "starling-test",
                    1_790_000_000L);
            return new TestTorrent(name, torrent, dir, file, size, PIECE, h.sha256Hex());
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            int n;
            while ((n = in.read(buffer)) > 0) {
                md.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Flips every bit of one byte, in place. */
    static void corruptByte(Path file, long offset) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(~b & 0xff);
        }
    }
}
