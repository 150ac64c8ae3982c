package io.starling.protocol.torrent;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * One piece's bytes plus everything needed to hash them. Digests and the leaf scratch live with
 * the buffer rather than with a thread: a buffer is hashed by one task at a time, so this reuses
 * them without ThreadLocals and whatever the executor's threads are.
 */
final class PieceBuffer {

    final byte[] data;
    int length;
    /** The whole-file digest and the piece task each release the buffer once. */
    final java.util.concurrent.atomic.AtomicInteger stagesLeft = new java.util.concurrent.atomic.AtomicInteger();

    private final MessageDigest sha1 = Merkle.sha1();
    private final MessageDigest sha256 = Merkle.sha256();
    private final byte[] leaves;
    private final int blocksPerPiece;

    // The job, set by the uploading thread before the buffer is handed to the executor.
    int index;
    private boolean onlyPiece;
    private byte[] v1Out;
    private int v1Offset;
    private byte[] layerOut;
    private int layerOffset;

    PieceBuffer(int pieceLength) {
        this.data = new byte[pieceLength];
        this.blocksPerPiece = pieceLength / Merkle.BLOCK_SIZE;
        this.leaves = new byte[blocksPerPiece * Merkle.HASH_SIZE];
    }

    void assign(int index, boolean onlyPiece, byte[] v1Out, int v1Offset, byte[] layerOut, int layerOffset) {
        this.index = index;
        this.onlyPiece = onlyPiece;
        this.v1Out = v1Out;
        this.v1Offset = v1Offset;
        this.layerOut = layerOut;
        this.layerOffset = layerOffset;
    }

    /** The piece's SHA-1 (v1) and the root of its v2 subtree, written into the assigned slots. */
    void hash() {
        int blocks = (length + Merkle.BLOCK_SIZE - 1) / Merkle.BLOCK_SIZE;
        for (int b = 0; b < blocks; b++) {
            int start = b * Merkle.BLOCK_SIZE;
            // The file's last block is hashed at its real length, never padded (BEP 52).
            int n = Math.min(Merkle.BLOCK_SIZE, length - start);
            // Both digests per block, so the second one reads the block from L1, not from RAM.
            sha1.update(data, start, n);
            sha256.update(data, start, n);
            Merkle.digestInto(sha256, leaves, b * Merkle.HASH_SIZE);
        }
        Merkle.digestInto(sha1, v1Out, v1Offset);
        // A piece of the piece layer is always a full subtree, its missing leaves zero; a file
        // of one piece has no piece layer and its tree is only as wide as its own blocks need.
        int width = onlyPiece ? Merkle.nextPowerOfTwo(blocks) : blocksPerPiece;
        Arrays.fill(leaves, blocks * Merkle.HASH_SIZE, width * Merkle.HASH_SIZE, (byte) 0);
        Merkle.reduceInPlace(sha256, leaves, width);
        System.arraycopy(leaves, 0, layerOut, layerOffset, Merkle.HASH_SIZE);
    }
}
