package io.starling.controlplane.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CompletionEstimateTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void tenAgentsDoneInTenMinutesWithTwentyLeftFinishInTwentyMinutes() {
        Instant start = CompletionEstimate.windowStart(NOW, NOW.minus(Duration.ofHours(1)));
        assertThat(start).isEqualTo(NOW.minus(Duration.ofMinutes(10)));
        assertThat(CompletionEstimate.estimate(true, NOW, start, 10, 20)).isEqualTo(NOW.plus(Duration.ofMinutes(20)));
    }

    @Test
    void aWaveStartedTwoMinutesAgoIsMeasuredOverTwoMinutesNotTen() {
        Instant start = CompletionEstimate.windowStart(NOW, NOW.minus(Duration.ofMinutes(2)));
        assertThat(start).isEqualTo(NOW.minus(Duration.ofMinutes(2)));
        assertThat(CompletionEstimate.estimate(true, NOW, start, 4, 6)).isEqualTo(NOW.plus(Duration.ofMinutes(3)));
    }

    @Test
    void theTimeLeftIsRoundedUpToTheSecond() {
        // 1 left at 3 per 10 s: 3.33… s, shown as 4 s
        Instant start = NOW.minusSeconds(30);
        assertThat(CompletionEstimate.estimate(true, NOW, start, 9, 1)).isEqualTo(NOW.plusSeconds(4));
    }

    @Test
    void noAgentFinishedInTheWindowGivesNoEstimate() {
        Instant start = NOW.minus(Duration.ofMinutes(10));
        assertThat(CompletionEstimate.estimate(true, NOW, start, 0, 20)).isNull();
    }

    @Test
    void aWaveJustStartedGivesNoEstimateUntilThirtySecondsHavePassed() {
        assertThat(CompletionEstimate.estimate(true, NOW, NOW.minusSeconds(5), 3, 20)).isNull();
        assertThat(CompletionEstimate.estimate(true, NOW, NOW.minusSeconds(30), 3, 20)).isNotNull();
    }

    @Test
    void allAgentsDoneIsDoneNowWhateverTheRate() {
        assertThat(CompletionEstimate.estimate(true, NOW, NOW.minus(Duration.ofMinutes(10)), 0, 0)).isEqualTo(NOW);
    }

    @Test
    void aPausedOrWaitingRolloutHasNoEstimate() {
        assertThat(CompletionEstimate.estimate(false, NOW, NOW.minus(Duration.ofMinutes(10)), 10, 20)).isNull();
    }
}
