package io.starling.protocol.torrent;

import java.io.IOException;
import java.io.InputStream;
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
 * <p>A pipeline, so that the reading thread only reads: it fills piece buffers (from
 * {@link #transferFrom} directly, or copied by {@link #update}); each full piece then goes to
 * three stages that read it at the same time: an ordered stage feeding the whole-file SHA-256
 * (inherently sequential) and a piece task computing its SHA-1 and BEP 52 subtree root, both on
 * the hashing executor, and a store task handing the bytes to the {@link PieceSink} at their
 * offset on the sink's executor. Writes wait on the disk; on threads of their own they never hold
 * a hashing core idle. A buffer is reused once every stage is done with it.
 * At most {@code maxPiecesInFlight} buffers ever exist: memory stays bounded whatever the file
 * size, and slow hashing back-pressures the upload instead of queueing the file in RAM.
 *
 * <p>Give {@code maxPiecesInFlight} a few more than the executor's threads, so that the reader
 * fills buffers while others are hashed. Not thread-safe: one thread calls {@code update},
 * {@code transferFrom}, {@code finish} and {@code close}.
 */
public final class StreamingHasher implements AutoCloseable {

    private enum State { OPEN, FINISHED, CLOSED }

    private final int pieceLength;
    private final Executor pieceExecutor;
    private final int maxPiecesInFlight;
    private final Semaphore freeBuffers;
    private final Queue<PieceBuffer> idle = new ConcurrentLinkedQueue<>();
    private final AtomicReference<PieceFailure> failure = new AtomicReference<>();
    /**
     * For a part of a {@link PartedFileHasher}: the whole-file SHA-256 so far when this part is next
     * in file order, else null (the part's bytes are digested later, read back).
     */
    private final MessageDigest fileSha256;
    private final PieceSlots slots;
    /** The file's piece this hasher's first piece is: 0 unless it hashes one part of a larger file. */
    private final int firstPiece;
    /** For a part: whether the file is a single piece (BEP 52 hashes such a piece's tree narrower). */
    private final boolean partIsOnlyPiece;
    private final Consumer<PieceBuffer> pieceHash;
    private final PieceSink sink;
    private final Executor sinkExecutor;
    /** Null when {@link #fileSha256} is. */
    private final SerialStage<PieceBuffer> wholeFile;

    private volatile State state = State.OPEN;
    private PieceBuffer current;
    private long size;
    private int pieces;

    public StreamingHasher(int pieceLength, Executor pieceExecutor, int maxPiecesInFlight) {
        this(pieceLength, pieceExecutor, maxPiecesInFlight, PieceSink.NONE);
    }

    /** Writes to the sink on the hashing executor, as tasks of their own. */
    public StreamingHasher(int pieceLength, Executor pieceExecutor, int maxPiecesInFlight, PieceSink sink) {
        this(pieceLength, pieceExecutor, maxPiecesInFlight, PieceBuffer::hash, sink, pieceExecutor);
    }

    /** Writes to the sink on {@code sinkExecutor}: give blocking writes threads other than the hashing ones. */
    public StreamingHasher(int pieceLength, Executor pieceExecutor, int maxPiecesInFlight, PieceSink sink,
            Executor sinkExecutor) {
        this(pieceLength, pieceExecutor, maxPiecesInFlight, PieceBuffer::hash, sink, sinkExecutor);
    }

    /** Lets tests make a piece task fail. */
    StreamingHasher(int pieceLength, Executor pieceExecutor, int maxPiecesInFlight, Consumer<PieceBuffer> pieceHash) {
        this(pieceLength, pieceExecutor, maxPiecesInFlight, pieceHash, PieceSink.NONE, pieceExecutor);
    }

    private StreamingHasher(int pieceLength, Executor pieceExecutor, int maxPiecesInFlight,
            Consumer<PieceBuffer> pieceHash, PieceSink sink, Executor sinkExecutor) {
        this(pieceLength, pieceExecutor, maxPiecesInFlight, pieceHash, sink, sinkExecutor, new PieceResults(), 0, true,
                false);
    }

    /**
     * One part of a {@link PartedFileHasher}'s file: pieces from {@code firstPiece} on; its bytes go
     * on, in order, into {@code inOrder} when that is not null (the part is where the whole-file
     * digest has got to), else into no whole-file digest.
     */
    StreamingHasher(int pieceLength, Executor pieceExecutor, int maxPiecesInFlight, PieceSink sink,
            Executor sinkExecutor, PieceSlots slots, int firstPiece, boolean onlyPiece, MessageDigest inOrder) {
        this(pieceLength, pieceExecutor, maxPiecesInFlight, PieceBuffer::hash, sink, sinkExecutor, slots, firstPiece,
                inOrder, onlyPiece);
    }

    private StreamingHasher(int pieceLength, Executor pieceExecutor, int maxPiecesInFlight,
            Consumer<PieceBuffer> pieceHash, PieceSink sink, Executor sinkExecutor, PieceSlots slots, int firstPiece,
            boolean digestWholeFile, boolean partIsOnlyPiece) {
        this(pieceLength, pieceExecutor, maxPiecesInFlight, pieceHash, sink, sinkExecutor, slots, firstPiece,
                digestWholeFile ? Merkle.sha256() : null, partIsOnlyPiece);
    }

    private StreamingHasher(int pieceLength, Executor pieceExecutor, int maxPiecesInFlight,
            Consumer<PieceBuffer> pieceHash, PieceSink sink, Executor sinkExecutor, PieceSlots slots, int firstPiece,
            MessageDigest fileSha256, boolean partIsOnlyPiece) {
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
        this.sink = Objects.requireNonNull(sink, "sink");
        this.sinkExecutor = Objects.requireNonNull(sinkExecutor, "sinkExecutor");
        this.slots = slots;
        this.firstPiece = firstPiece;
        this.partIsOnlyPiece = partIsOnlyPiece;
        this.fileSha256 = fileSha256;
        this.wholeFile = fileSha256 != null ? new SerialStage<>(pieceExecutor, this::digestWholeFile) : null;
    }

    /**
     * Reads {@code in} to its end straight into piece buffers (no intermediate copy), stopping
     * early once more than {@code limit} bytes arrived.
     *
     * @return the bytes read; more than {@code limit} means the source sent too much
     */
    public long transferFrom(InputStream in, long limit) throws IOException {
        ensureUsable();
        long read = 0;
        while (read <= limit) {
            if (current == null) {
                current = acquireBuffer();
            }
            int room = (int) Math.min(pieceLength - current.length, limit - read + 1);
            int n = in.read(current.data, current.length, room);
            if (n < 0) {
                break;
            }
            current.length += n;
            read += n;
            size += n;
            if (current.length == pieceLength) {
                PieceBuffer full = current;
                current = null;
                submit(full, false);
            }
            rethrowFailure();
        }
        return read;
    }

    public void update(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureUsable();
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
        if (!(slots instanceof PieceResults)) { // a part's slots are its PartedFileHasher's
            throw new IllegalStateException("a part's hasher ends with finishPart()");
        }
        ensureUsable();
        if (size == 0) {
            throw new IllegalArgumentException("an empty file cannot be hashed into a torrent");
        }
        drain(pieces == 0);
        return assemble(size, pieceLength, fileSha256.digest(), slots.v1Hashes(pieces), slots.layerHashes(pieces),
                pieces);
    }

    /** Waits for every piece of a part; its hashes are in the {@link PartedFileHasher}. */
    long finishPart() {
        ensureUsable();
        drain(partIsOnlyPiece);
        return size;
    }

    /**
     * Gives up on a part that did not arrive whole: drops the piece being filled and waits for the
     * pieces already handed on, so that nothing of this attempt is written after it returns (a
     * second attempt at the part writes the same places).
     */
    void abandonPart() {
        if (current != null) {
            PieceBuffer partial = current;
            current = null;
            release(partial);
        }
        awaitAllPieces();
        state = State.CLOSED;
    }

    /** Hands the last, short piece on and waits until every piece is hashed and stored. */
    private void drain(boolean lastIsOnlyPiece) {
        if (current != null) {
            PieceBuffer last = current;
            current = null;
            if (last.length > 0) {
                submit(last, lastIsOnlyPiece);
            } else {
                release(last); // transferFrom took a buffer before it learned the stream had ended
            }
        }
        awaitAllPieces();
        rethrowFailure();
        state = State.FINISHED;
    }

    /** The hashes of a whole file from its pieces' hashes: the merkle root over the piece layer. */
    static HashResult assemble(long size, int pieceLength, byte[] sha256, byte[] v1, byte[] layer, int pieces) {
        byte[] root;
        if (pieces == 1) {
            root = layer;
            layer = new byte[0];
        } else {
            MessageDigest digest = Merkle.sha256();
            byte[] pad = Merkle.zeroSubtreeRoot(digest, pieceLength / Merkle.BLOCK_SIZE);
            root = Merkle.root(digest, layer, pieces, pad);
        }
        return new HashResult(size, pieceLength, sha256, v1, root, layer);
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
        if (firstPiece + pieces == Integer.MAX_VALUE / 32) {
            release(buffer);
            throw new IllegalArgumentException("too many pieces for piece length " + pieceLength);
        }
        int index = firstPiece + pieces;
        pieces++;
        buffer.assign(index, onlyPiece,
                slots.v1Chunk(index), slots.v1Offset(index),
                slots.layerChunk(index), slots.layerOffset(index));
        boolean storing = sink != PieceSink.NONE;
        int stages = 1 + (wholeFile != null ? 1 : 0) + (storing ? 1 : 0);
        buffer.stagesLeft.set(stages);
        int queued = 0;
        try {
            if (wholeFile != null) {
                wholeFile.submit(buffer);
                queued++;
            }
            pieceExecutor.execute(() -> hash(buffer));
            queued++;
            if (storing) {
                sinkExecutor.execute(() -> store(buffer));
                queued++;
            }
        } catch (RuntimeException e) {
            // The piece is lost, so the hasher is too: make every later call say so.
            failure.compareAndSet(null, new PieceFailure(index, e));
            // Stages that were never queued never run: count them done, so that the buffer comes
            // back once the queued ones finish and finish() does not wait forever.
            for (int i = queued; i < stages; i++) {
                stageDone(buffer);
            }
            throw e;
        }
    }

    private void hash(PieceBuffer buffer) {
        runStage(buffer, pieceHash::accept);
    }

    /** Reads the buffer while the hash task does too; neither writes to its bytes. */
    private void store(PieceBuffer buffer) {
        runStage(buffer, b -> sink.write((long) b.index * pieceLength, b.data, b.length));
    }

    /** A piece's stage: skipped once the hasher failed or closed, its failure kept, the buffer handed back. */
    private void runStage(PieceBuffer buffer, StageWork work) {
        try {
            if (failure.get() == null && state != State.CLOSED) {
                work.run(buffer);
            }
        } catch (Throwable t) {
            failure.compareAndSet(null, new PieceFailure(buffer.index, t));
        } finally {
            stageDone(buffer);
        }
    }

    @FunctionalInterface
    private interface StageWork {
        void run(PieceBuffer buffer) throws Exception;
    }

    /** Runs in order on the serial stage: the file's SHA-256 sees the pieces in file order. */
    private void digestWholeFile(PieceBuffer buffer) {
        try {
            fileSha256.update(buffer.data, 0, buffer.length);
        } catch (Throwable t) {
            failure.compareAndSet(null, new PieceFailure(buffer.index, t));
        } finally {
            stageDone(buffer);
        }
    }

    private void stageDone(PieceBuffer buffer) {
        if (buffer.stagesLeft.decrementAndGet() == 0) {
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
