package io.starling.e2e.offices;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Nearest-rank percentiles: always one of the measured values, never an interpolation, so a
 * reported p90 is a time some agent really took.
 */
public final class Percentiles {

    private Percentiles() {
    }

    public static double p50(List<Double> values) {
        return percentile(values, 50);
    }

    public static double p90(List<Double> values) {
        return percentile(values, 90);
    }

    public static double max(List<Double> values) {
        return percentile(values, 100);
    }

    /** The smallest value with at least {@code p} percent of the values at or below it; NaN when empty. */
    public static double percentile(List<Double> values, double p) {
        if (!(p >= 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be within 0..100, got " + p);
        }
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values); // the caller's list stays in its order
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }
}
