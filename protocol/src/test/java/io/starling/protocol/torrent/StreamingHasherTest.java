package io.starling.protocol.torrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.protocol.testing.TestBytes;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StreamingHasherTest {

    private static final int PIECE = 32 * 1024;

    /** Runs nothing until told to: lets a test hold pieces "in flight". */
    private static final class ManualExecutor implements Executor {
        private final Queue<Runnable> queued = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable task) {
            queued.add(task);
        }

        synchronized int queued() {
            return queued.size();
        }

        void runAll() {
            Runnable task;
            while ((task = poll()) != null) {
                task.run();
            }
        }

        private synchronized Runnable poll() {
            return queued.poll();
        }
    }

    @Test
    void anEmptyFileIsRefused() {
        try (StreamingHasher hasher = new StreamingHasher(PIECE, Runnable::run, 1)) {
            hasher.update(new byte[0], 0, 0);
            assertThatThrownBy(hasher::finish).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void pieceLengthsThatBep52ForbidsAreRefused() {
        assertThatThrownBy(() -> new StreamingHasher(8 * 1024, Runnable::run, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StreamingHasher(48 * 1024, Runnable::run, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StreamingHasher(PIECE, Runnable::run, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theWholeFileDigestIsPlainSha256() throws Exception {
        byte[] data = TestBytes.pattern(100_000);
        assertThat(ChunkedHash.of(data, PIECE).sha256())
                .isEqualTo(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void resultIsIndependentOfHowTheBytesAreChunked() {
        byte[] data = TestBytes.pattern(5 * PIECE + 123);
        HashResult whole;
        try (StreamingHasher hasher = new StreamingHasher(PIECE, Runnable::run, 2)) {
            hasher.update(data, 0, data.length);
            whole = hasher.finish();
        }
        HashResult byteByByte;
        try (StreamingHasher hasher = new StreamingHasher(PIECE, Runnable::run, 2)) {
            for (int i = 0; i < data.length; i++) {
                hasher.update(data, i, 1);
            }
            byteByByte = hasher.finish();
        }
        assertThat(byteByByte).isEqualTo(whole).isEqualTo(ChunkedHash.of(data, PIECE));
        assertThat(whole.pieceCount()).isEqualTo(6);
        assertThat(whole.v2PieceLayer()).hasSize(6 * 32);
    }

    @Test
    void uploaderBlocksWhenEveryPieceBufferIsBusy() throws Exception {
        ManualExecutor executor = new ManualExecutor();
        byte[] data = TestBytes.pattern(3 * PIECE);
        try (StreamingHasher hasher = new StreamingHasher(PIECE, executor, 2)) {
            Thread uploader = new Thread(() -> hasher.update(data, 0, data.length));
            uploader.start();
            awaitState(uploader, Thread.State.WAITING);
            // Two piece tasks, and one ordered whole-file digest task covering both pieces.
            assertThat(executor.queued()).isEqualTo(3);

            executor.runAll();
            uploader.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(uploader.isAlive()).isFalse();
            executor.runAll();
            Thread finisher = new Thread(hasher::finish);
            finisher.start();
            finisher.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(finisher.isAlive()).isFalse();
        }
    }

    @Test
    void aFailingPieceTaskSurfacesFromTheNextUpdate() {
        byte[] data = TestBytes.pattern(2 * PIECE);
        try (StreamingHasher hasher = new StreamingHasher(PIECE, Runnable::run, 2, failingOn(0))) {
            hasher.update(data, 0, PIECE);
            assertThatThrownBy(() -> hasher.update(data, PIECE, PIECE))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("piece 0")
                    .hasRootCauseMessage("disk on fire");
            assertThatThrownBy(hasher::finish).hasMessageContaining("piece 0");
        }
    }

    @Test
    void aFailingLastPieceSurfacesFromFinish() {
        byte[] data = TestBytes.pattern(PIECE + 10);
        try (StreamingHasher hasher = new StreamingHasher(PIECE, Runnable::run, 2, failingOn(1))) {
            hasher.update(data, 0, data.length);
            assertThatThrownBy(hasher::finish).hasMessageContaining("piece 1").hasRootCauseMessage("disk on fire");
        }
    }

    @Test
    void aRejectingExecutorFailsTheUpdateAndEveryLaterCall() {
        Executor rejecting = task -> {
            throw new RejectedExecutionException("shut down");
        };
        byte[] data = TestBytes.pattern(PIECE);
        try (StreamingHasher hasher = new StreamingHasher(PIECE, rejecting, 1)) {
            assertThatThrownBy(() -> hasher.update(data, 0, data.length)).isInstanceOf(RejectedExecutionException.class);
            assertThatThrownBy(hasher::finish).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void closingMakesALaterFinishFail() {
        StreamingHasher hasher = new StreamingHasher(PIECE, Runnable::run, 1);
        hasher.update(new byte[100], 0, 100);
        hasher.close();
        assertThatThrownBy(hasher::finish).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> hasher.update(new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFinishedHasherTakesNoMoreBytes() {
        try (StreamingHasher hasher = new StreamingHasher(PIECE, Runnable::run, 1)) {
            hasher.update(new byte[100], 0, 100);
            hasher.finish();
            assertThatThrownBy(() -> hasher.update(new byte[1], 0, 1)).hasMessageContaining("finished");
            assertThatThrownBy(hasher::finish).hasMessageContaining("finished");
        }
    }

    private static java.util.function.Consumer<PieceBuffer> failingOn(int piece) {
        return buffer -> {
            if (buffer.index == piece) {
                throw new IllegalStateException("disk on fire");
            }
            buffer.hash();
        };
    }

    private static void awaitState(Thread thread, Thread.State state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != state) {
            assertThat(System.nanoTime()).as("thread reaches " + state).isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void transferFromReadsAStreamAndHandsEveryPieceToTheSinkAtItsOffset() throws Exception {
        byte[] data = TestBytes.pattern(4 * PIECE + 777);
        byte[] written = new byte[data.length];
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try (StreamingHasher hasher = new StreamingHasher(PIECE, pool, 4,
                (offset, bytes, length) -> System.arraycopy(bytes, 0, written, (int) offset, length))) {
            long read = hasher.transferFrom(new java.io.ByteArrayInputStream(data), data.length);
            assertThat(read).isEqualTo(data.length);
            assertThat(hasher.finish()).isEqualTo(ChunkedHash.of(data, PIECE));
        } finally {
            pool.shutdown();
        }
        assertThat(written).isEqualTo(data);
    }

    @Test
    void piecesAreWrittenOnTheSinksOwnThreadsWhileTheHashersHash() throws Exception {
        byte[] data = TestBytes.pattern(6 * PIECE + 5);
        byte[] written = new byte[data.length];
        java.util.Set<String> writers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.ExecutorService hashers = java.util.concurrent.Executors.newFixedThreadPool(2,
                r -> new Thread(r, "hasher"));
        java.util.concurrent.ExecutorService sinkThreads = java.util.concurrent.Executors.newFixedThreadPool(2,
                r -> new Thread(r, "writer"));
        try (StreamingHasher hasher = new StreamingHasher(PIECE, hashers, 4, (offset, bytes, length) -> {
            writers.add(Thread.currentThread().getName());
            System.arraycopy(bytes, 0, written, (int) offset, length);
        }, sinkThreads)) {
            hasher.transferFrom(new java.io.ByteArrayInputStream(data), data.length);
            assertThat(hasher.finish()).isEqualTo(ChunkedHash.of(data, PIECE));
        } finally {
            hashers.shutdown();
            sinkThreads.shutdown();
        }
        assertThat(writers).containsExactly("writer");
        assertThat(written).isEqualTo(data);
    }

    @Test
    void aFailingWriteSurfacesFromFinishAndNothingWaitsForever() {
        byte[] data = TestBytes.pattern(3 * PIECE);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try (StreamingHasher hasher = new StreamingHasher(PIECE, pool, 2, (offset, bytes, length) -> {
            throw new java.io.IOException("disk full");
        }, pool)) {
            assertThatThrownBy(() -> {
                hasher.transferFrom(new java.io.ByteArrayInputStream(data), data.length);
                hasher.finish();
            }).hasMessageContaining("disk full");
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void aStreamOfWholePiecesEndsWithoutAnEmptyPiece() throws Exception {
        byte[] data = TestBytes.pattern(3 * PIECE);
        try (StreamingHasher hasher = new StreamingHasher(PIECE, Runnable::run, 2)) {
            hasher.transferFrom(new java.io.ByteArrayInputStream(data), data.length);
            assertThat(hasher.finish()).isEqualTo(ChunkedHash.of(data, PIECE));
        }
    }

    @Test
    void transferFromStopsJustPastTheLimit() throws Exception {
        byte[] data = TestBytes.pattern(3 * PIECE);
        try (StreamingHasher hasher = new StreamingHasher(PIECE, Runnable::run, 2)) {
            assertThat(hasher.transferFrom(new java.io.ByteArrayInputStream(data), PIECE)).isEqualTo(PIECE + 1);
        }
    }
}
