package io.starling.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void retriesWaitLongerAfterEachFailureButNeverBeyondTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));
        assertThat(backoff.ceiling(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.ceiling(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(backoff.ceiling(9)).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.ceiling(62)).isEqualTo(Duration.ofMinutes(5));
        for (int i = 0; i < 100; i++) {
            Duration wait = backoff.failed();
            assertThat(wait).isBetween(Duration.ofSeconds(1), Duration.ofMinutes(5));
        }
    }

    @Test
    void aFleetRetryingAfterAnOutageSpreadsOut() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));
        for (int i = 0; i < 8; i++) {
            backoff.failed();
        }
        long distinct = java.util.stream.IntStream.range(0, 50).mapToObj(i -> {
            Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));
            for (int j = 0; j < 8; j++) {
                b.failed();
            }
            return b.failed();
        }).distinct().count();
        assertThat(distinct).as("distinct waits among 50 agents after the same 8 failures").isGreaterThan(40);
    }

    @Test
    void aSuccessStartsOverFromTheMinimum() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));
        for (int i = 0; i < 10; i++) {
            backoff.failed();
        }
        backoff.succeeded();
        assertThat(backoff.failures()).isZero();
        assertThat(backoff.failed()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aMaximumBelowTheMinimumIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(10), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
