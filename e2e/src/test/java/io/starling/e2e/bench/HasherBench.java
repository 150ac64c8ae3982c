package io.starling.e2e.bench;

import io.starling.protocol.torrent.PieceLength;
import io.starling.protocol.torrent.StreamingHasher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * {@code e2e/bench/hasher.sh}: the upload's hashing alone, {@link StreamingHasher} over bytes in
 * memory, next to the JDK's {@link MessageDigest} doing the same three hashes one after another on
 * one thread, measured in the same run. Prints a markdown section on standard output, progress on
 * standard error.
 *
 * <p>Arguments: size in bytes, timed rounds, warm-up rounds. The bytes come from a random buffer of
 * up to 64 MiB, larger than the CPU's caches, fed in 64 KiB chunks as an upload's network buffers
 * arrive; nothing touches a disk or a socket.
 */
public final class HasherBench {

    static final int CHUNK = 64 * 1024;
    private static final int MAX_SOURCE = 64 << 20;
    /** The control plane's defaults: {@code starling.catalog.hash-threads} and {@code pieces-in-flight}. */
    private static final int DEFAULT_THREADS = 2;
    private static final int PIECES_IN_FLIGHT = 6;
    /** The row every other is compared with: the work of an upload, done by the JDK on one thread. */
    static final String SERIAL = "baseline: the upload's three hashes in series (SHA-256 + SHA-1 + SHA-256 of every chunk), one thread";

    private HasherBench() {
    }

    /** One row: what ran and the median of its timed rounds. */
    record Row(String what, double seconds) {
    }

    @FunctionalInterface
    interface Round {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: HasherBench SIZE_BYTES ROUNDS WARMUP_ROUNDS (e2e/bench/hasher.sh is the front end)");
            System.exit(2);
        }
        long size = Long.parseLong(args[0]);
        int rounds = Integer.parseInt(args[1]);
        int warmup = Integer.parseInt(args[2]);
        String command = System.getProperty("starling.bench.command", "e2e/bench/hasher.sh");
        List<Row> rows = measure(size, rounds, warmup, line -> System.err.println("hasher: " + line));
        System.out.println(markdown(rows, size, rounds, warmup, command));
    }

    static List<Row> measure(long size, int rounds, int warmup, Consumer<String> log) throws Exception {
        byte[] source = new byte[(int) Math.min(size, MAX_SOURCE)];
        new SplittableRandom(20261206L).nextBytes(source);
        int pieceLength = PieceLength.choose(size);
        List<Row> rows = new ArrayList<>();
        rows.add(new Row("baseline: JDK `MessageDigest` SHA-256 alone, one thread",
                median(rounds, warmup, () -> digest(size, source, "SHA-256"))));
        rows.add(new Row("baseline: JDK `MessageDigest` SHA-1 alone, one thread",
                median(rounds, warmup, () -> digest(size, source, "SHA-1"))));
        rows.add(new Row(SERIAL, median(rounds, warmup, () -> digest(size, source, "SHA-256", "SHA-1", "SHA-256"))));
        for (int threads : new int[] {1, DEFAULT_THREADS}) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                rows.add(new Row("Starling `StreamingHasher` (file SHA-256, v1 SHA-1 per piece, v2 merkle), "
                        + threads + (threads == 1 ? " piece thread" : " piece threads") + ", "
                        + PIECES_IN_FLIGHT + " pieces in flight",
                        median(rounds, warmup, () -> stream(size, source, pieceLength, pool))));
            } finally {
                pool.shutdownNow();
            }
            log.accept(rows.get(rows.size() - 1).what() + ": done");
        }
        return rows;
    }

    private static void digest(long size, byte[] source, String... algorithms) throws NoSuchAlgorithmException {
        MessageDigest[] digests = new MessageDigest[algorithms.length];
        for (int i = 0; i < algorithms.length; i++) {
            digests[i] = MessageDigest.getInstance(algorithms[i]);
        }
        for (long done = 0; done < size; done += CHUNK) {
            int len = (int) Math.min(CHUNK, size - done);
            int off = (int) (done % source.length);
            for (MessageDigest md : digests) {
                md.update(source, off, Math.min(len, source.length - off));
            }
        }
        for (MessageDigest md : digests) {
            md.digest();
        }
    }

    private static void stream(long size, byte[] source, int pieceLength, ExecutorService pool) {
        try (StreamingHasher hasher = new StreamingHasher(pieceLength, pool, PIECES_IN_FLIGHT)) {
            for (long done = 0; done < size; done += CHUNK) {
                int len = (int) Math.min(CHUNK, size - done);
                int off = (int) (done % source.length);
                hasher.update(source, off, Math.min(len, source.length - off));
            }
            hasher.finish();
        }
    }

    private static double median(int rounds, int warmup, Round round) throws Exception {
        for (int i = 0; i < warmup; i++) {
            round.run();
        }
        double[] seconds = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            round.run();
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(seconds);
        return seconds[rounds / 2];
    }

    /** The section for docs/benchmarks-history.md; ratios are against the three hashes in series. */
    static String markdown(List<Row> rows, long size, int rounds, int warmup, String command) {
        double serial = rows.stream().filter(r -> r.what().equals(SERIAL)).findFirst().orElseThrow().seconds();
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "### Streaming hasher vs. the JDK's digests (%s, %d cores, median of %d)%n%n",
                LocalDate.now(), Runtime.getRuntime().availableProcessors(), rounds));
        md.append("Command: `").append(command).append("`\n");
        md.append(String.format(Locale.ROOT, "%s in %d KiB chunks from a random buffer, in memory (no disk, no network); "
                        + "pieces of %d KiB; warm-up rounds: %d; Java %s; load average when it ended: %s.%n%n", mib(size),
                CHUNK / 1024, PieceLength.choose(size) / 1024, warmup, System.getProperty("java.version"), loadAverage()));
        md.append("| what | time | rate | vs. the three in series |\n");
        md.append("|---|---:|---:|---:|\n");
        for (Row r : rows) {
            md.append(String.format(Locale.ROOT, "| %s | %.3f s | %.0f MB/s | %.2f × |%n", r.what(), r.seconds(),
                    size / r.seconds() / 1e6, serial / r.seconds()));
        }
        return md.toString().strip();
    }

    /** Other work on the machine slows every row alike, but it makes runs of different days incomparable. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String mib(long bytes) {
        return bytes % (1L << 30) == 0 ? (bytes >> 30) + " GiB" : String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
    }
}
