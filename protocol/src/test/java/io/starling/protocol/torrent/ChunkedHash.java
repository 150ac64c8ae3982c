package io.starling.protocol.torrent;

import java.util.concurrent.Executor;

/** Hashing fed in awkward chunks that straddle block and piece boundaries, as an upload arrives. */
final class ChunkedHash {

    private ChunkedHash() {
    }

    static HashResult of(byte[] data, int pieceLength, Executor executor, int maxPiecesInFlight) {
        try (StreamingHasher hasher = new StreamingHasher(pieceLength, executor, maxPiecesInFlight)) {
            for (int off = 0; off < data.length; off += 7777) {
                hasher.update(data, off, Math.min(7777, data.length - off));
            }
            return hasher.finish();
        }
    }

    static HashResult of(byte[] data, int pieceLength) {
        return of(data, pieceLength, Runnable::run, 1);
    }
}
