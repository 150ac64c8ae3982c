package io.starling.protocol.torrent;

import java.util.concurrent.Executor;

/** The deterministic file contents shared with reference_torrents.py: byte i is (i * 31 + 7) % 251. */
final class TestData {

    private TestData() {
    }

    static byte[] pattern(int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) ((i * 31L + 7) % 251);
        }
        return data;
    }

    /** Hashes {@code data} fed in awkward chunks that straddle block and piece boundaries. */
    static HashResult hash(byte[] data, int pieceLength, Executor executor, int maxPiecesInFlight) {
        try (StreamingHasher hasher = new StreamingHasher(pieceLength, executor, maxPiecesInFlight)) {
            for (int off = 0; off < data.length; off += 7777) {
                hasher.update(data, off, Math.min(7777, data.length - off));
            }
            return hasher.finish();
        }
    }

    static HashResult hash(byte[] data, int pieceLength) {
        return hash(data, pieceLength, Runnable::run, 1);
    }
}
