package io.starling.controlplane.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WaveProgressTest {

    @Test
    void ninetyFivePercentOfTwentyIsNineteenExactly() {
        assertThat(new WaveProgress(20, 18, 0).reachedSuccess(95)).isFalse();
        assertThat(new WaveProgress(20, 19, 0).reachedSuccess(95)).isTrue();
    }

    @Test
    void aHundredPercentNeedsEveryAgentAndZeroPercentNeedsNone() {
        assertThat(new WaveProgress(3, 2, 0).reachedSuccess(100)).isFalse();
        assertThat(new WaveProgress(3, 3, 0).reachedSuccess(100)).isTrue();
        assertThat(new WaveProgress(3, 0, 0).reachedSuccess(0)).isTrue();
    }

    @Test
    void aWaveOfOneAgentSucceedsOrFailsWithThatAgent() {
        assertThat(new WaveProgress(1, 0, 0).reachedSuccess(1)).isFalse();
        assertThat(new WaveProgress(1, 1, 0).reachedSuccess(100)).isTrue();
        assertThat(new WaveProgress(1, 0, 0).reachedErrors(100)).isFalse();
        assertThat(new WaveProgress(1, 0, 1).reachedErrors(100)).isTrue();
    }

    @Test
    void anErrorThresholdOfZeroStopsAtTheFirstFailureAndNotBefore() {
        assertThat(new WaveProgress(50, 0, 0).reachedErrors(0)).isFalse();
        assertThat(new WaveProgress(50, 10, 1).reachedErrors(0)).isTrue();
    }

    @Test
    void fivePercentErrorsOfTwentyIsOneFailure() {
        assertThat(new WaveProgress(20, 0, 1).reachedErrors(5)).isTrue();
        assertThat(new WaveProgress(21, 0, 1).reachedErrors(5)).isFalse();
    }

    @Test
    void aHundredPercentErrorsNeedsEveryAgentToFail() {
        assertThat(new WaveProgress(4, 0, 3).reachedErrors(100)).isFalse();
        assertThat(new WaveProgress(4, 0, 4).reachedErrors(100)).isTrue();
    }

    @Test
    void anEmptyWaveHasSucceededAndNeverFailed() {
        assertThat(new WaveProgress(0, 0, 0).reachedSuccess(100)).isTrue();
        assertThat(new WaveProgress(0, 0, 0).reachedErrors(0)).isFalse();
    }

    @Test
    void countsThatDoNotAddUpAreRefused() {
        assertThatThrownBy(() -> new WaveProgress(2, 2, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
