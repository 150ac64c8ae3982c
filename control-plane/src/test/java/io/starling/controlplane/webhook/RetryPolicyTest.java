package io.starling.controlplane.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy defaults = new RetryPolicy(8, Duration.ofSeconds(10), Duration.ofHours(1));

    @Test
    void theWaitDoublesFromTheInitialDelayAfterEachFailedAttempt() {
        assertThat(defaults.delayAfter(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.delayAfter(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(defaults.delayAfter(3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(defaults.delayAfter(7)).isEqualTo(Duration.ofSeconds(640));
    }

    @Test
    void afterTheLastAttemptThereIsNoNextOne() {
        assertThat(defaults.delayAfter(8)).isNull();
        assertThat(defaults.delayAfter(9)).isNull();
    }

    @Test
    void theWaitNeverExceedsTheMaximum() {
        RetryPolicy many = new RetryPolicy(100, Duration.ofSeconds(10), Duration.ofHours(1));
        assertThat(many.delayAfter(9)).isEqualTo(Duration.ofSeconds(2560));
        assertThat(many.delayAfter(10)).isEqualTo(Duration.ofHours(1));
        assertThat(many.delayAfter(99)).isEqualTo(Duration.ofHours(1));
    }
}
