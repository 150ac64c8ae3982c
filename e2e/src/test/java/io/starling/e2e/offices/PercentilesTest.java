package io.starling.e2e.offices;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    private static final List<Double> ONE_TO_TEN = List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0);

    @Test
    void nearestRankPicksAMeasuredValue() {
        // ranks ceil(0.5·10) = 5, ceil(0.9·10) = 9, 10
        assertThat(Percentiles.p50(ONE_TO_TEN)).isEqualTo(5.0);
        assertThat(Percentiles.p90(ONE_TO_TEN)).isEqualTo(9.0);
        assertThat(Percentiles.max(ONE_TO_TEN)).isEqualTo(10.0);
    }

    @Test
    void unsortedInputIsSortedWithoutTouchingTheCallersList() {
        List<Double> values = new ArrayList<>(List.of(3.0, 1.0, 2.0));
        // ranks ceil(1.5) = 2 and ceil(2.7) = 3
        assertThat(Percentiles.p50(values)).isEqualTo(2.0);
        assertThat(Percentiles.p90(values)).isEqualTo(3.0);
        assertThat(values).containsExactly(3.0, 1.0, 2.0);
    }

    @Test
    void oneValueIsEveryPercentile() {
        assertThat(Percentiles.p50(List.of(7.5))).isEqualTo(7.5);
        assertThat(Percentiles.p90(List.of(7.5))).isEqualTo(7.5);
        assertThat(Percentiles.max(List.of(7.5))).isEqualTo(7.5);
    }

    @Test
    void noValuesIsNaN() {
        assertThat(Percentiles.p50(List.of())).isNaN();
        assertThat(Percentiles.p90(List.of())).isNaN();
        assertThat(Percentiles.max(List.of())).isNaN();
    }
}
