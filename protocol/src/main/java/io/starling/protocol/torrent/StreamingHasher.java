package io.starling.protocol.torrent;

import java.security.MessageDigest;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Hashes one file for a hybrid torrent in a single pass, while it streams in.
 *
 * <p>The uploading thread feeds {@link #update} and pays only for the whole-file SHA-256 (which
 * is inherently sequential) and a copy into a piece buffer. Each full piece goes to the piece
 * executor, which computes its SHA-1 and its BEP 52 subtree root, so on two cores the sequential
 * and the parallel half of the work overlap. At most {@code maxPiecesInFlight} buffers ever
 * exist: memory stays bounded whatever the file size, and a slow executor back-pressures the
 * upload instead of queueing the file in RAM.
 *
 * <p>Give {@code maxPiecesInFlight} at least one more than the executor's threads, so that the
 * uploader fills a buffer while the others are hashed (2 threads and 4 buffers hashed 600–700 MB/s
 * on 2 cores with SHA-NI). Not thread-safe: one thread calls {@code update}, {@code finish} and
 * {@code close}.
 */
public final class StreamingHasher implements AutoCloseable {

    private enum State { OPEN, FINISHED, CLOSED }

    private final int pieceLength;
    private final Executor pieceExecutor;
    private final int maxPiecesInFlight;
    private final Semaphore freeBuffers;
    private final Queue<PieceBuffer> idle = new ConcurrentLinkedQueue<>();
    private final AtomicReference<PieceFailure> failure = new AtomicReference<>();
    private final MessageDigest fileSha256 = Merkle.sha256();
    private final PieceResults results = new PieceResults();
    private final Consumer<PieceBuffer> pieceHash;

    private volatile State state = State.OPEN;
    private PieceBuffer current;
    private long size;
    private int pieces;

    public StreamingHasher(int pieceLength, Executor pieceExecutor, int maxPiecesInFlight) {
        this(pieceLength, pieceExecutor, maxPiecesInFlight, PieceBuffer::hash);
    }

    /** Lets tests make a piece task fail. */
    StreamingHasher(int pieceLength, Executor pieceExecutor, int maxPiecesInFlight, Consumer<PieceBuffer> pieceHash) {
        if (pieceLength < Merkle.BLOCK_SIZE || Integer.bitCount(pieceLength) != 1) {
            throw new IllegalArgumentException("piece length must be a power of two of at least 16 KiB (BEP 52): "
                    + pieceLength);
        }
        if (maxPiecesInFlight < 1) {
            throw new IllegalArgumentException("maxPiecesInFlight must be at least 1: " + maxPiecesInFlight);
        }
        this.pieceLength = pieceLength;
        this.pieceExecutor = Objects.requireNonNull(pieceExecutor, "pieceExecutor");
        this.maxPiecesInFlight = maxPiecesInFlight;
        this.freeBuffers = new Semaphore(maxPiecesInFlight);
        this.pieceHash = pieceHash;
    }

    public void update(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureUsable();
        fileSha256.update(b, off, len);
        while (len > 0) {
            if (current == null) {
                current = acquireBuffer();
            }
            int n = Math.min(len, pieceLength - current.length);
            System.arraycopy(b, off, current.data, current.length, n);
            current.length += n;
            off += n;
            len -= n;
            size += n;
            if (current.length == pieceLength) {
                PieceBuffer full = current;
                current = null;
                submit(full, false);
            }
        }
    }

    /**
     * Waits for every piece and returns the hashes.
     *
     * @throws IllegalArgumentException if no byte was hashed: BEP 52 gives empty files no pieces
     *                                  root, and an empty artifact is never worth distributing
     */
    public HashResult finish() {
        ensureUsable();
        if (size == 0) {
            throw new IllegalArgumentException("an empty file cannot be hashed into a torrent");
        }
        if (current != null) {
            PieceBuffer last = current;
            current = null;
            submit(last, pieces == 0);
        }
        awaitAllPieces();
        rethrowFailure();
        state = State.FINISHED;

        byte[] layer = results.layerHashes(pieces);
        byte[] root;
        if (pieces == 1) {
            root = layer;
            layer = new byte[0];
        } else {
            MessageDigest sha256 = Merkle.sha256();
            byte[] pad = Merkle.zeroSubtreeRoot(sha256, pieceLength / Merkle.BLOCK_SIZE);
            root = Merkle.root(sha256, layer, pieces, pad);
        }
        return new HashResult(size, pieceLength, fileSha256.digest(), results.v1Hashes(pieces), root, layer);
    }

    /** Drops the buffers; pieces still being hashed finish and are discarded. */
    @Override
    public void close() {
        state = State.CLOSED;
        current = null;
        idle.clear();
    }

    private void ensureUsable() {
        if (state != State.OPEN) {
            throw new IllegalStateException("hasher is " + state.name().toLowerCase(java.util.Locale.ROOT));
        }
        rethrowFailure();
    }

    private void rethrowFailure() {
        PieceFailure f = failure.get();
        if (f != null) {
            throw new IllegalStateException("hashing piece " + f.piece() + " failed: " + f.cause(), f.cause());
        }
    }

    private PieceBuffer acquireBuffer() {
        try {
            freeBuffers.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a free piece buffer", e);
        }
        PieceBuffer buffer = idle.poll();
        // Lazily: a small file never allocates more than the one buffer it needs.
        return buffer != null ? buffer : new PieceBuffer(pieceLength);
    }

    private void submit(PieceBuffer buffer, boolean onlyPiece) {
        int index = pieces;
        if (index == Integer.MAX_VALUE / 32) {
            release(buffer);
            throw new IllegalArgumentException("too many pieces for piece length " + pieceLength);
        }
        pieces++;
        buffer.assign(index, onlyPiece,
                results.v1Chunk(index), PieceResults.v1Offset(index),
                results.layerChunk(index), PieceResults.layerOffset(index));
        try {
            pieceExecutor.execute(() -> hash(buffer));
        } catch (RuntimeException e) {
            // The piece is lost, so the hasher is too: make every later call say so.
            failure.compareAndSet(null, new PieceFailure(index, e));
            release(buffer);
            throw e;
        }
    }

    private void hash(PieceBuffer buffer) {
        try {
            if (failure.get() == null && state != State.CLOSED) {
                pieceHash.accept(buffer);
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, new PieceFailure(buffer.index, t));
        } finally {
            release(buffer);
        }
    }

    private void release(PieceBuffer buffer) {
        buffer.length = 0;
        if (state != State.CLOSED) {
            idle.offer(buffer);
        }
        freeBuffers.release();
    }

    private void awaitAllPieces() {
        // Holding every permit means no task is running; the semaphore also publishes their results.
        try {
            freeBuffers.acquire(maxPiecesInFlight);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for pieces to be hashed", e);
        }
        freeBuffers.release(maxPiecesInFlight);
    }

    private record PieceFailure(int piece, Throwable cause) {
    }
}
