package io.starling.controlplane.seed;

import io.starling.controlplane.seed.OriginSession.Verification;
import io.starling.controlplane.seed.SeedLinks.Seeded;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.jboss.logging.Logger;

/**
 * Reads the seeded blobs again and compares them with the catalogue's SHA-256: periodically, on
 * demand, and at once when libtorrent hashed a whole file by itself (a piece failed its seed-mode
 * check, or resume data was rejected). libtorrent trusts resume data and checks a seed-mode piece
 * only the first time it sends it (docs/platform-notes.md, "libtorrent4j: resume data"), so
 * nothing else notices a blob that changed on disk later.
 *
 * <p>Reads on its own low-priority thread ({@code origin-verify}) at a capped rate; what it finds
 * corrupt goes back to the seeder, which stops seeding it.
 */
final class BlobVerification {

    private static final Logger LOG = Logger.getLogger(BlobVerification.class);
    private static final Duration FIRST_PASS = Duration.ofMinutes(1);

    private final SeedLinks links;
    private final Duration interval;
    private final long bytesPerSecond;
    private final BiConsumer<OriginArtifact, String> corruptFound;
    private final Instant started = Instant.now();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "origin-verify");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        return t;
    });
    /** When this run last knew each torrent's bytes right: its last check, or its upload in this run. */
    private final Map<String, Instant> lastChecked = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> fullChecks = new ConcurrentHashMap<>();
    private final Set<String> corrupt = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param interval     zero or negative: no periodic pass
     * @param corruptFound called on this thread with an artifact whose bytes changed and how
     */
    BlobVerification(SeedLinks links, Duration interval, long bytesPerSecond, BiConsumer<OriginArtifact, String> corruptFound) {
        this.links = links;
        this.interval = interval;
        this.bytesPerSecond = bytesPerSecond;
        this.corruptFound = corruptFound;
    }

    void start() {
        if (interval.toMillis() > 0) {
            thread.scheduleWithFixedDelay(this::scheduledPass, FIRST_PASS.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** The artifact is seeded now; one uploaded in this run was hashed as it was stored. */
    void added(OriginArtifact a) {
        if (a.hashedAt().isAfter(started)) {
            lastChecked.put(a.infoHashV1(), a.hashedAt());
        }
    }

    /** Reads every seeded blob again, at the configured rate. */
    CompletableFuture<Verification> verify() {
        try {
            return CompletableFuture.supplyAsync(() -> verifyAll(s -> true), thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("The origin seeder is closed"));
        }
    }

    /** On the alert thread: libtorrent started hashing the whole file by itself. */
    void fullCheckStarted(String infoHashV1) {
        fullChecks.computeIfAbsent(infoHashV1, k -> new AtomicInteger()).incrementAndGet();
        soon(infoHashV1);
    }

    /** How often libtorrent hashed the whole file in this process. */
    int fullChecks(String infoHashV1) {
        AtomicInteger n = fullChecks.get(infoHashV1);
        return n == null ? 0 : n.get();
    }

    /** On the alert thread: look at this blob as soon as the verification thread is free. */
    void soon(String infoHashV1) {
        try {
            thread.execute(() -> verifyOne(infoHashV1));
        } catch (RejectedExecutionException e) {
            LOG.debugf("No verification of %s after shutdown", infoHashV1);
        }
    }

    void markCorrupt(String infoHashV1) {
        corrupt.add(infoHashV1);
    }

    boolean isCorrupt(String infoHashV1) {
        return corrupt.contains(infoHashV1);
    }

    void close() {
        closed = true;
        thread.shutdownNow();
    }

    /**
     * The periodic pass reads only blobs this run has not known right for a whole interval. One
     * uploaded in this run was hashed as it was stored: reading it again a minute later (the first
     * pass) would only load the disk, at the configured rate, while fresh uploads stream in.
     * Blobs from before the start are all read by the first pass: they lay on disk unwatched.
     */
    Verification scheduledPass() {
        try {
            Instant due = Instant.now().minus(interval);
            Verification v = verifyAll(s -> {
                Instant last = lastChecked.get(s.artifact().infoHashV1());
                return last == null || !last.isAfter(due);
            });
            LOG.infof("Verified %d seeded artifacts (%d bytes); %d corrupt", v.checked(), v.bytes(), v.corrupt().size());
            return v;
        } catch (RuntimeException e) {
            LOG.errorf(e, "The origin seeder's verification pass failed");
            return new Verification(0, 0, List.of());
        }
    }

    private Verification verifyAll(Predicate<Seeded> due) {
        List<OriginArtifact> bad = new ArrayList<>();
        int checked = 0;
        long bytes = 0;
        for (Seeded s : links.all()) {
            if (closed || Thread.currentThread().isInterrupted()) {
                break;
            }
            if (links.get(s.artifact().infoHashV1()) != s || !due.test(s)) {
                continue;
            }
            Optional<String> problem = check(s);
            checked++;
            bytes += s.artifact().size();
            if (problem.isPresent()) {
                bad.add(s.artifact());
                corruptFound.accept(s.artifact(), problem.get());
            }
        }
        return new Verification(checked, bytes, bad);
    }

    private void verifyOne(String ih) {
        Seeded s = links.get(ih);
        if (s != null) {
            check(s).ifPresent(problem -> corruptFound.accept(s.artifact(), problem));
        }
    }

    /** Empty when the bytes libtorrent serves still hash to the catalogue's SHA-256. */
    private Optional<String> check(Seeded s) {
        try {
            Instant now = Instant.now();
            String actual = sha256(s.dataFile(), bytesPerSecond);
            if (actual.equals(s.artifact().sha256())) {
                lastChecked.put(s.artifact().infoHashV1(), now);
                return Optional.empty();
            }
            return Optional.of("its bytes now hash to " + actual);
        } catch (IOException e) {
            return Optional.of("its bytes cannot be read (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Thread priorities mean little to Linux's scheduler; a read rate is what keeps this from
     * competing with seeding for the disk.
     */
    static String sha256(Path file, long bytesPerSecond) throws IOException, InterruptedException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 20];
        long start = System.nanoTime();
        long read = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                md.update(buffer, 0, n);
                read += n;
                if (bytesPerSecond > 0) {
                    long due = start + (long) (read * 1e9 / bytesPerSecond);
                    long early = due - System.nanoTime();
                    if (early > 0) {
                        TimeUnit.NANOSECONDS.sleep(early);
                    }
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
