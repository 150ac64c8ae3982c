package io.starling.agent.sync;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with full jitter: after n failures wait a random time up to
 * min(max, min·2ⁿ). Jitter matters more than the curve: after an outage a whole fleet retries,
 * and without it every agent would knock at the same instant.
 */
public final class Backoff {

    private final Duration min;
    private final Duration max;
    private int failures;

    public Backoff(Duration min, Duration max) {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("need 0 < min <= max, got " + min + " and " + max);
        }
        this.min = min;
        this.max = max;
    }

    /** The wait before the next attempt, after one more failure. */
    public synchronized Duration failed() {
        Duration ceiling = ceiling(failures);
        failures = Math.min(failures + 1, 62);
        long millis = ceiling.toMillis();
        // Never below min: a "retry now" after a refusal only adds load.
        return Duration.ofMillis(Math.max(min.toMillis(), ThreadLocalRandom.current().nextLong(millis + 1)));
    }

    public synchronized void succeeded() {
        failures = 0;
    }

    public synchronized int failures() {
        return failures;
    }

    Duration ceiling(int n) {
        long shift = Math.min(n, 40);
        long millis = min.toMillis() << shift;
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }
}
