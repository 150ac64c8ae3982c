package io.starling.controlplane.webhook;

import java.time.Duration;

/**
 * When a failed delivery is tried again: {@code initialDelay} after the first attempt, doubling
 * after each further one up to {@code maxDelay}, and not at all after {@code attempts}. With the
 * defaults (8 attempts, 10 s, 1 h) the last attempt comes about 21 minutes after the first.
 */
record RetryPolicy(int attempts, Duration initialDelay, Duration maxDelay) {

    static RetryPolicy of(WebhookConfig config) {
        return new RetryPolicy(Math.max(1, config.attempts()), config.initialDelay(), config.maxDelay());
    }

    /** @return the wait before the next attempt, or null when {@code made} attempts were the last */
    Duration delayAfter(int made) {
        if (made >= attempts) {
            return null;
        }
        Duration d = initialDelay;
        for (int i = 1; i < made && d.compareTo(maxDelay) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxDelay) > 0 ? maxDelay : d;
    }
}
