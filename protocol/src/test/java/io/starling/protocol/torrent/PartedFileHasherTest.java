package io.starling.protocol.torrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.protocol.testing.TestBytes;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class PartedFileHasherTest {

    private static final int PIECE = 32 * 1024;

    private static HashResult inOnePass(byte[] data) {
        try (StreamingHasher hasher = new StreamingHasher(PIECE, Runnable::run, 2)) {
            hasher.update(data, 0, data.length);
            return hasher.finish();
        }
    }

    private static HashResult inParts(byte[] data, long partSize, byte[] file) throws Exception {
        PartedFileHasher parted = new PartedFileHasher(data.length, PIECE, partSize);
        ExecutorService senders = Executors.newFixedThreadPool(3);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Long>> sent = new ArrayList<>();
            for (int part = parted.parts() - 1; part >= 0; part--) { // last part first: order must not matter
                int p = part;
                int from = (int) parted.partOffset(p);
                int length = (int) parted.partLength(p);
                sent.add(senders.submit(() -> parted.transferPart(p, new ByteArrayInputStream(data, from, length), pool, 3,
                        (offset, bytes, n) -> {
                            synchronized (file) {
                                System.arraycopy(bytes, 0, file, (int) offset, n);
                            }
                        }, pool)));
            }
            for (Future<Long> f : sent) {
                f.get();
            }
        } finally {
            senders.shutdown();
            pool.shutdown();
        }
        return parted.result(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void partsHashedOutOfOrderGiveWhatOnePassGives() throws Exception {
        byte[] data = TestBytes.pattern(10 * PIECE + 1234);
        byte[] written = new byte[data.length];
        assertThat(inParts(data, 3L * PIECE, written)).isEqualTo(inOnePass(data));
        assertThat(written).isEqualTo(data);
    }

    @Test
    void aFileOfOnePieceInOnePartGivesWhatOnePassGives() throws Exception {
        byte[] data = TestBytes.pattern(5000);
        assertThat(inParts(data, 2L * PIECE, new byte[data.length])).isEqualTo(inOnePass(data));
    }

    @Test
    void aFileOfWholePartsGivesWhatOnePassGives() throws Exception {
        byte[] data = TestBytes.pattern(8 * PIECE);
        assertThat(inParts(data, 4L * PIECE, new byte[data.length])).isEqualTo(inOnePass(data));
    }

    @Test
    void partsSentInOrderFeedTheWholeFileDigestOnTheWay() throws Exception {
        byte[] data = TestBytes.pattern(10 * PIECE + 1234);
        PartedFileHasher parted = new PartedFileHasher(data.length, PIECE, 3L * PIECE);
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            for (int part = 0; part < parted.parts(); part++) {
                int from = (int) parted.partOffset(part);
                long read = parted.transferPart(part, new ByteArrayInputStream(data, from, (int) parted.partLength(part)),
                        pool, 4, PieceSink.NONE, pool, sha256);
                assertThat(read).isEqualTo(parted.partLength(part));
            }
        } finally {
            pool.shutdown();
        }
        assertThat(parted.result(sha256.digest())).isEqualTo(inOnePass(data));
    }

    @Test
    void partsEndAtTheFileAndAreWholePieces() {
        PartedFileHasher parted = new PartedFileHasher(10L * PIECE + 1, PIECE, 4L * PIECE);
        assertThat(parted.parts()).isEqualTo(3);
        assertThat(parted.partLength(0)).isEqualTo(4L * PIECE);
        assertThat(parted.partLength(2)).isEqualTo(2L * PIECE + 1);
        assertThatThrownBy(() -> parted.partLength(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new PartedFileHasher(100, PIECE, PIECE + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aShortPartIsReportedAndNotHashed() throws Exception {
        PartedFileHasher parted = new PartedFileHasher(4L * PIECE, PIECE, 2L * PIECE);
        long read = parted.transferPart(0, new ByteArrayInputStream(new byte[PIECE]), Runnable::run, 2,
                PieceSink.NONE, Runnable::run);
        assertThat(read).isEqualTo(PIECE);
    }
}
