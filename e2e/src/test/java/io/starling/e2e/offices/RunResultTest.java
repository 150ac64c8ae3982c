package io.starling.e2e.offices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunResultTest {

    @Test
    void aCompleteRunHasItsRatiosAgainstTheBoundAndHttp() {
        RunResult r = SampleRuns.oneSite();

        assertThat(r.agents()).isEqualTo(20);
        assertThat(r.originRatio()).isEqualTo(1.5);
        assertThat(r.wanRatioMax()).isEqualTo(1.125);
        assertThat(r.wanPayloadRatioMax()).isEqualTo(1.0);
        assertThat(r.boundSeconds()).isCloseTo(26.8435456, within(1e-9));
        assertThat(r.achievedSeconds()).isEqualTo(49.0);
        assertThat(r.boundRatio()).isCloseTo(49.0 / 26.8435456, within(1e-12));
        assertThat(r.httpMaxSeconds()).isEqualTo(195.0);
        assertThat(r.speedupVsHttp()).isCloseTo(195.0 / 49.0, within(1e-12));
    }

    @Test
    void aRunWhereSomeAgentNeverFinishedHasNoAchievedTime() {
        RunResult r = SampleRuns.twoAgentsMissingNoHttp();

        assertThat(r.achievedSeconds()).isNaN();
        assertThat(r.boundRatio()).isNaN();
    }

    @Test
    void aSkippedBaselineHasNoHttpTimeAndNoSpeedUp() {
        RunResult r = SampleRuns.twoAgentsMissingNoHttp();

        assertThat(r.httpMaxSeconds()).isNaN();
        assertThat(r.speedupVsHttp()).isNaN();
    }

    @Test
    void theWorstSiteSetsTheWanRatio() {
        long size = SampleRuns.MIB_64;
        RunResult r = new RunResult("2 sites × 1 agent", 2, 1, size, SampleRuns.OFFICE, List.of(1.0, 2.0), 2, size,
                Map.of("a", size, "b", 2 * size), Map.of("a", size / 2, "b", size), List.of(), null, "", "");

        assertThat(r.wanRatioMax()).isEqualTo(2.0);
        assertThat(r.wanPayloadRatioMax()).isEqualTo(1.0);
        assertThat(r.notes()).isEmpty();
    }
}
