package io.starling.agent.sync;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Reads one HTTP body the agent is about to use, and refuses what a misbehaving or hostile control
 * plane (or anything between) could do with it: an endless body (TUF's "endless data" attack) is
 * cut past its cap, and a body trickled a byte at a time (TUF's "slow retrieval") is cut at the
 * deadline. The JDK client's own timeout stops counting once the headers arrived, so the deadline
 * is enforced here: checked at every chunk, and by a watchdog that closes the stream when a read
 * blocks past it. Nothing is returned unless the whole body arrived within both limits, so a
 * caller never uses part of an answer.
 */
final class BoundedBody {

    /** Read size; at most this much past the cap is ever held. */
    static final int CHUNK = 8 * 1024;

    /** What the agent reads, each with its own cap: the largest legitimate answer with room to spare. */
    enum Kind {
        CHECK_IN("check-in answer", 4 * 1024 * 1024),
        ENROLLMENT("enrollment answer", 64 * 1024),
        REPORT("answer to a status report", 64 * 1024),
        TORRENT(".torrent file", 16 * 1024 * 1024),
        /** An error's problem+json: read up to here for its detail, the rest ignored. */
        PROBLEM("error answer", 64 * 1024);

        final String what;
        final int cap;

        Kind(String what, int cap) {
            this.what = what;
            this.cap = cap;
        }
    }

    /** A body not read in full: too long, or too slow. Nothing of it was used. */
    static final class RefusedException extends IOException {
        RefusedException(String message) {
            super(message);
        }
    }

    /** One daemon thread for every watchdog of the process; its tasks only close streams. */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "http-body-deadline");
        t.setDaemon(true);
        return t;
    });

    private BoundedBody() {
    }

    /**
     * The whole body, closed in every case.
     *
     * @param declaredLength the Content-Length header, -1 when none: refused at once when above the cap
     * @param deadline       by {@code clock}: the body must have arrived by then
     * @throws RefusedException longer than the cap, or not complete by the deadline
     */
    static byte[] read(InputStream body, long declaredLength, Kind kind, Instant deadline, InstantSource clock)
            throws IOException {
        return read(body, declaredLength, kind.cap, kind.what, deadline, clock, true);
    }

    /**
     * At most the first {@code kind.cap} bytes, for a message: an overlong or slow error answer is
     * cut, not refused, so that its status still counts. Closed in every case.
     */
    static byte[] prefix(InputStream body, Kind kind, Instant deadline, InstantSource clock) {
        try {
            return read(body, -1, kind.cap, kind.what, deadline, clock, false);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static byte[] read(InputStream body, long declaredLength, int cap, String what, Instant deadline,
            InstantSource clock, boolean strict) throws IOException {
        AtomicBoolean late = new AtomicBoolean();
        try (body) {
            if (strict && declaredLength > cap) {
                throw tooLong(what, cap, "it announced " + declaredLength + " bytes");
            }
            long wait = Math.max(0, Duration.between(clock.instant(), deadline).toMillis());
            ScheduledFuture<?> watchdog = WATCHDOG.schedule(() -> {
                late.set(true);
                closeQuietly(body);
            }, wait, TimeUnit.MILLISECONDS);
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(cap, CHUNK));
                byte[] chunk = new byte[CHUNK];
                int n;
                while ((n = body.read(chunk)) >= 0) {
                    if (late.get() || clock.instant().isAfter(deadline)) {
                        late.set(true);
                        break;
                    }
                    int room = cap - out.size();
                    if (n > room) {
                        if (strict) {
                            throw tooLong(what, cap, "more than " + cap + " bytes arrived");
                        }
                        out.write(chunk, 0, room);
                        return out.toByteArray();
                    }
                    out.write(chunk, 0, n);
                }
                if (late.get()) {
                    throw tooSlow(what, deadline, out.size());
                }
                return out.toByteArray();
            } catch (IOException e) {
                if (late.get() && !(e instanceof RefusedException)) {
                    throw tooSlow(what, deadline, -1);
                }
                throw e;
            } finally {
                watchdog.cancel(false);
            }
        }
    }

    private static RefusedException tooLong(String what, int cap, String how) {
        return new RefusedException("the control plane's " + what + " is longer than " + cap + " bytes (" + how
                + "); refused without using any of it");
    }

    private static RefusedException tooSlow(String what, Instant deadline, long received) {
        return new RefusedException("the control plane's " + what + " did not arrive in full before the request deadline ("
                + deadline + (received >= 0 ? ", " + received + " bytes by then" : "") + ")"
                + "; refused without using any of it");
    }

    private static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException | RuntimeException e) {
            // The reader sees the stream closed; that is all the watchdog is for.
        }
    }
}
