package io.starling.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StallWatchTest {

    private static final long S = 1_000_000_000L;

    @Test
    void noVerifiedProgressForTheLimitIsAStall() {
        StallWatch watch = new StallWatch(Duration.ofSeconds(10));
        assertThat(watch.stalled(100, true, 0)).isFalse();
        assertThat(watch.stalled(100, true, 9 * S)).isFalse();
        assertThat(watch.stalled(100, true, 10 * S)).isTrue();
    }

    @Test
    void aVerifiedPieceStartsTheWaitAfresh() {
        StallWatch watch = new StallWatch(Duration.ofSeconds(10));
        watch.stalled(100, true, 0);
        assertThat(watch.stalled(200, true, 9 * S)).isFalse();
        assertThat(watch.stalled(200, true, 18 * S)).isFalse();
        assertThat(watch.stalled(200, true, 19 * S)).isTrue();
    }

    @Test
    void checkingOrPausedTimeDoesNotCount() {
        StallWatch watch = new StallWatch(Duration.ofSeconds(10));
        watch.stalled(100, true, 0);
        assertThat(watch.stalled(100, false, 9 * S)).isFalse();
        assertThat(watch.stalled(100, true, 18 * S)).isFalse();
        assertThat(watch.stalled(100, true, 19 * S)).isTrue();
    }

    @Test
    void aZeroLimitNeverStalls() {
        StallWatch watch = new StallWatch(Duration.ZERO);
        watch.stalled(0, true, 0);
        assertThat(watch.stalled(0, true, 3600 * S)).isFalse();
    }
}
