package io.starling.controlplane.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.protocol.testing.Sha256;
import io.starling.protocol.torrent.PartedFileHasher;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole-file SHA-256 of an upload in parts: the part at the frontier is digested while it
 * arrives, only parts that came ahead of it are read back from the blob.
 */
class PartedUploadFrontierTest {

    private static final int PIECE = 16 * 1024;
    private static final int PART = 2 * PIECE;

    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final ExecutorService digester = Executors.newSingleThreadExecutor();
    private MemoryBlob blob;

    @AfterEach
    void stop() {
        pool.shutdownNow();
        digester.shutdownNow();
    }

    @Test
    void partsSentInOrderAreNeverReadBack() throws Exception {
        byte[] data = bytes(3 * PART + 100);
        PartedUpload upload = start(data);
        for (int part = 0; part < 4; part++) {
            send(upload, part, data);
        }
        assertThat(digest(upload)).isEqualTo(Sha256.hex(data));
        assertThat(blob.readBack).isEmpty();
    }

    @Test
    void partsAheadOfTheFrontierAreReadBackOnceItReachesThem() throws Exception {
        byte[] data = bytes(4 * PART);
        PartedUpload upload = start(data);
        send(upload, 2, data);
        send(upload, 1, data);
        send(upload, 3, data);
        send(upload, 0, data); // the frontier: on the way in; then 1, 2 and 3 are read back
        assertThat(digest(upload)).isEqualTo(Sha256.hex(data));
        assertThat(blob.readBack).containsExactly((long) PART, 2L * PART, 3L * PART);
    }

    @Test
    void aFrontierPartThatBreaksOffMidwayLeavesTheDigestAsItWas() throws Exception {
        byte[] data = bytes(2 * PART);
        PartedUpload upload = start(data);
        var inOrder = upload.beginPart(0, Instant.now());
        assertThat(inOrder).as("part 1 is the frontier").isNotNull();
        InputStream cutOff = new ByteArrayInputStream(data, 0, PIECE + 5000) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                if (n < 0) {
                    throw new java.io.UncheckedIOException(new IOException("connection reset"));
                }
                return n;
            }
        };
        assertThatThrownBy(() -> upload.hashes.transferPart(0, cutOff, pool, 3, blob::writeAt, pool, inOrder))
                .hasMessageContaining("connection reset");
        upload.partFailed(0, Instant.now());
        send(upload, 1, data);
        send(upload, 0, data); // sent again whole: the digest goes on from before the broken attempt
        assertThat(digest(upload)).isEqualTo(Sha256.hex(data));
        assertThat(blob.readBack).containsExactly((long) PART);
    }

    @Test
    void cancellingWhileTheFrontierPartArrivesStopsItAndCompletesNothing() throws Exception {
        byte[] data = bytes(2 * PART);
        PartedUpload upload = start(data);
        var inOrder = upload.beginPart(0, Instant.now());
        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        InputStream slow = new InputStream() {
            private int sent;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (sent == PIECE) {
                    halfway.countDown();
                    await(cancelled);
                }
                int n = Math.min(len, PIECE - sent % PIECE);
                if (sent >= PART) {
                    return -1;
                }
                System.arraycopy(data, sent, b, off, n);
                sent += n;
                return n;
            }
        };
        ExecutorService sender = Executors.newSingleThreadExecutor();
        try {
            Future<Long> sending = sender.submit(() -> upload.hashes.transferPart(0, slow, pool, 3, blob::writeAt, pool,
                    inOrder));
            assertThat(halfway.await(10, TimeUnit.SECONDS)).isTrue();
            upload.close();
            cancelled.countDown();
            assertThatThrownBy(sending::get).hasRootCauseInstanceOf(IOException.class);
        } finally {
            sender.shutdownNow();
        }
        upload.partFailed(0, Instant.now());
        assertThat(upload.isClosed()).isTrue();
        assertThatThrownBy(() -> upload.beginPart(1, Instant.now())).hasMessageContaining("cancelled");
        assertThatThrownBy(() -> upload.wholeFileSha256(Duration.ofSeconds(5)))
                .isInstanceOf(java.util.concurrent.CancellationException.class);
    }

    /** An upload of {@code data} in parts of {@link #PART}, into {@link #blob}. */
    private PartedUpload start(byte[] data) {
        blob = new MemoryBlob(data.length);
        return new PartedUpload("u", "p", "1.0", "f.bin", Optional.empty(),
                new PartedFileHasher(data.length, PIECE, PART), blob, Instant.now());
    }

    /** As PartedUploads sends a part: claim, stream (digesting it when it is the frontier), report. */
    private void send(PartedUpload upload, int part, byte[] data) throws IOException {
        var inOrder = upload.beginPart(part, Instant.now());
        int from = (int) upload.hashes.partOffset(part);
        int length = (int) upload.hashes.partLength(part);
        long read = upload.hashes.transferPart(part, new ByteArrayInputStream(data, from, length), pool, 3,
                upload.blob::writeAt, pool, inOrder);
        assertThat(read).isEqualTo(length);
        upload.partReceived(part, Instant.now(), (Executor) digester, inOrder);
    }

    private static String digest(PartedUpload upload) {
        upload.beginComplete();
        return HexFormat.of().formatHex(upload.wholeFileSha256(Duration.ofSeconds(10)));
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + i / 7);
        }
        return b;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A blob in memory that remembers where it was read back from; closing it fails later writes. */
    private static final class MemoryBlob implements BlobStore.PendingBlob {
        final byte[] bytes;
        final List<Long> readBack = new ArrayList<>();
        private volatile boolean closed;

        MemoryBlob(int size) {
            bytes = new byte[size];
        }

        @Override
        public void writeAt(long offset, byte[] data, int length) throws IOException {
            if (closed) {
                throw new IOException("blob closed");
            }
            System.arraycopy(data, 0, bytes, (int) offset, length);
        }

        @Override
        public synchronized InputStream read(long offset) {
            readBack.add(offset);
            return new ByteArrayInputStream(bytes, (int) offset, bytes.length - (int) offset);
        }

        @Override
        public void commit(String key) {
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
