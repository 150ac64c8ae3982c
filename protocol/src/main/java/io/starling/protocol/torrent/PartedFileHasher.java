package io.starling.protocol.torrent;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.Executor;

/**
 * Hashes a file of known size for a hybrid torrent while it arrives in parts: several at a time,
 * in any order, each streamed by a thread of its own through a {@link StreamingHasher} pipeline
 * that writes its pieces' hashes into slots of this file. Parts are whole pieces (only the last
 * may end short), so a piece never spans two parts and the result is exactly what one
 * {@link StreamingHasher} over the same bytes gives.
 *
 * <p>The whole-file SHA-256 is not computed here: it needs the bytes in file order, so the caller
 * digests them as contiguous parts complete (a part that is next in order while it arrives has
 * its bytes fed into that digest on the way) and hands the digest to {@link #result}.
 */
public final class PartedFileHasher {

    private final long size;
    private final int pieceLength;
    private final long partSize;
    private final int pieces;
    private final int parts;
    private final byte[] v1;
    private final byte[] layer;

    /**
     * @param partSize a multiple of {@code pieceLength}
     */
    public PartedFileHasher(long size, int pieceLength, long partSize) {
        if (size <= 0) {
            throw new IllegalArgumentException("an empty file cannot be hashed into a torrent");
        }
        if (pieceLength < Merkle.BLOCK_SIZE || Integer.bitCount(pieceLength) != 1) {
            throw new IllegalArgumentException("piece length must be a power of two of at least 16 KiB (BEP 52): "
                    + pieceLength);
        }
        if (partSize <= 0 || partSize % pieceLength != 0) {
            throw new IllegalArgumentException("part size " + partSize + " is not a multiple of the piece length "
                    + pieceLength);
        }
        long pieceCount = (size + pieceLength - 1) / pieceLength;
        if (pieceCount >= Integer.MAX_VALUE / 32) {
            throw new IllegalArgumentException("too many pieces for piece length " + pieceLength);
        }
        this.size = size;
        this.pieceLength = pieceLength;
        this.partSize = partSize;
        this.pieces = (int) pieceCount;
        this.parts = Math.toIntExact((size + partSize - 1) / partSize);
        this.v1 = new byte[pieces * PieceResults.V1_SIZE];
        this.layer = new byte[pieces * Merkle.HASH_SIZE];
    }

    public int parts() {
        return parts;
    }

    public long partSize() {
        return partSize;
    }

    public int pieceLength() {
        return pieceLength;
    }

    /** Where part {@code part} (from 0) starts in the file. */
    public long partOffset(int part) {
        checkPart(part);
        return part * partSize;
    }

    /** Part {@code part}'s length: the part size, but for the last part, which has what is left. */
    public long partLength(int part) {
        checkPart(part);
        return Math.min(partSize, size - part * partSize);
    }

    /**
     * Streams part {@code part} from {@code in}: reads just past its length, so that a source with
     * too many bytes is caught without reading them all; hashes its pieces and writes them to
     * {@code sink} at their offsets in the file. Returns the bytes read; only the part's exact
     * length hashed it. Thread-safe for different parts; each part once at a time (the caller's
     * job: a part sent twice at once would write the same slots).
     */
    public long transferPart(int part, InputStream in, Executor pieceExecutor, int maxPiecesInFlight,
            PieceSink sink, Executor sinkExecutor) throws IOException {
        return transferPart(part, in, pieceExecutor, maxPiecesInFlight, sink, sinkExecutor, null);
    }

    /**
     * As {@link #transferPart(int, InputStream, Executor, int, PieceSink, Executor)}, and when
     * {@code inOrder} is not null, also feeds the part's bytes in file order into it: the caller's
     * whole-file SHA-256 when every part before this one is already in it, so that this part's
     * bytes need not be read back. Only once this returned the part's length is {@code inOrder}
     * whole; after a failure it holds some of the part's bytes and is of no more use.
     */
    public long transferPart(int part, InputStream in, Executor pieceExecutor, int maxPiecesInFlight,
            PieceSink sink, Executor sinkExecutor, MessageDigest inOrder) throws IOException {
        long length = partLength(part);
        int firstPiece = Math.toIntExact(partOffset(part) / pieceLength);
        StreamingHasher hasher = new StreamingHasher(pieceLength, pieceExecutor, maxPiecesInFlight, sink,
                sinkExecutor, new Slots(), firstPiece, pieces == 1, inOrder);
        boolean hashed = false;
        try {
            long read = hasher.transferFrom(in, length);
            if (read == length) {
                hasher.finishPart();
                hashed = true;
            }
            return read;
        } finally {
            if (!hashed) {
                hasher.abandonPart();
            }
            hasher.close();
        }
    }

    /** The file's hashes once every part was transferred, with its SHA-256 digested in order by the caller. */
    public HashResult result(byte[] sha256) {
        return StreamingHasher.assemble(size, pieceLength, sha256, v1.clone(), layer.clone(), pieces);
    }

    private void checkPart(int part) {
        if (part < 0 || part >= parts) {
            throw new IndexOutOfBoundsException("part " + part + " of " + parts);
        }
    }

    /** Fixed slots: the piece count is known up front, so nothing grows while parts are hashed. */
    private final class Slots implements PieceSlots {
        @Override
        public byte[] v1Chunk(int piece) {
            return v1;
        }

        @Override
        public int v1Offset(int piece) {
            return piece * PieceResults.V1_SIZE;
        }

        @Override
        public byte[] layerChunk(int piece) {
            return layer;
        }

        @Override
        public int layerOffset(int piece) {
            return piece * Merkle.HASH_SIZE;
        }

        @Override
        public byte[] v1Hashes(int count) {
            return Arrays.copyOf(v1, count * PieceResults.V1_SIZE);
        }

        @Override
        public byte[] layerHashes(int count) {
            return Arrays.copyOf(layer, count * Merkle.HASH_SIZE);
        }
    }
}
