package io.starling.protocol.torrent;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-piece hashes of a stream whose length is not known in advance. Chunks are created by
 * the uploading thread before a piece is handed out, so hashing tasks only ever write into
 * arrays that already exist and nothing is resized under them.
 */
final class PieceResults implements PieceSlots {

    private static final int PIECES_PER_CHUNK = 1024;
    static final int V1_SIZE = 20;

    private final List<byte[]> v1Chunks = new ArrayList<>();
    private final List<byte[]> layerChunks = new ArrayList<>();

    @Override
    public byte[] v1Chunk(int piece) {
        ensureChunk(piece);
        return v1Chunks.get(piece / PIECES_PER_CHUNK);
    }

    @Override
    public byte[] layerChunk(int piece) {
        ensureChunk(piece);
        return layerChunks.get(piece / PIECES_PER_CHUNK);
    }

    @Override
    public int v1Offset(int piece) {
        return (piece % PIECES_PER_CHUNK) * V1_SIZE;
    }

    @Override
    public int layerOffset(int piece) {
        return (piece % PIECES_PER_CHUNK) * Merkle.HASH_SIZE;
    }

    @Override
    public byte[] v1Hashes(int pieces) {
        return flatten(v1Chunks, pieces, V1_SIZE);
    }

    @Override
    public byte[] layerHashes(int pieces) {
        return flatten(layerChunks, pieces, Merkle.HASH_SIZE);
    }

    private void ensureChunk(int piece) {
        while (v1Chunks.size() <= piece / PIECES_PER_CHUNK) {
            v1Chunks.add(new byte[PIECES_PER_CHUNK * V1_SIZE]);
            layerChunks.add(new byte[PIECES_PER_CHUNK * Merkle.HASH_SIZE]);
        }
    }

    private static byte[] flatten(List<byte[]> chunks, int pieces, int hashSize) {
        byte[] out = new byte[Math.multiplyExact(pieces, hashSize)];
        int chunkBytes = PIECES_PER_CHUNK * hashSize;
        for (int pos = 0, c = 0; pos < out.length; pos += chunkBytes, c++) {
            System.arraycopy(chunks.get(c), 0, out, pos, Math.min(chunkBytes, out.length - pos));
        }
        return out;
    }
}
