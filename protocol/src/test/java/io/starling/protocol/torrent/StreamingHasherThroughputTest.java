package io.starling.protocol.torrent;

import java.security.MessageDigest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Prints how fast a 1 GiB upload is hashed; no assertion, numbers belong to benchmarks.
 * Run with {@code ./mvnw -pl protocol test -Dtest=StreamingHasherThroughputTest -Dstarling.bench=true}.
 */
@EnabledIfSystemProperty(named = "starling.bench", matches = "true")
class StreamingHasherThroughputTest {

    private static final long GIB = 1L << 30;
    private static final int CHUNK = 64 * 1024;

    @Test
    void printsThroughputOfAGibibyteUpload() throws Exception {
        byte[] source = TestData.pattern(1 << 20);
        int pieceLength = PieceLength.choose(GIB);
        System.out.printf("SHA-256 alone:   %5.0f MB/s%n", digestRate("SHA-256", source));
        System.out.printf("SHA-1 alone:     %5.0f MB/s%n", digestRate("SHA-1", source));
        for (int[] setup : new int[][] {{1, 2}, {2, 4}}) {
            int workers = setup[0];
            int buffers = setup[1];
            ExecutorService pool = Executors.newFixedThreadPool(workers);
            try {
                double best = 0;
                for (int round = 0; round < 3; round++) {
                    long start = System.nanoTime();
                    try (StreamingHasher hasher = new StreamingHasher(pieceLength, pool, buffers)) {
                        for (long done = 0; done < GIB; done += CHUNK) {
                            hasher.update(source, (int) (done % source.length), CHUNK);
                        }
                        hasher.finish();
                    }
                    best = Math.max(best, GIB / ((System.nanoTime() - start) / 1e9) / 1e6);
                }
                System.out.printf("1 GiB, %d KiB pieces, %d piece thread(s), %d buffers: best of 3 %5.0f MB/s%n",
                        pieceLength / 1024, workers, buffers, best);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static double digestRate(String algorithm, byte[] source) throws Exception {
        MessageDigest md = MessageDigest.getInstance(algorithm);
        long bytes = 512L << 20;
        long start = System.nanoTime();
        for (long done = 0; done < bytes; done += CHUNK) {
            md.update(source, (int) (done % source.length), CHUNK);
        }
        md.digest();
        return bytes / ((System.nanoTime() - start) / 1e9) / 1e6;
    }
}
