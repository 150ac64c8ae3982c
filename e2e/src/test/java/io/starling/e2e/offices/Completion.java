package io.starling.e2e.offices;

import java.util.ArrayList;
import java.util.List;

/**
 * Completion-time percentiles over all agents of a run, not just the ones that finished: an agent
 * that never finished counts as +Infinity. Otherwise a run where half the agents failed would show
 * the p90 of the lucky half, which reads better than the run was.
 */
record Completion(double p50, double p90, double max) {

    static Completion of(List<Double> finishedSeconds, int agents) {
        List<Double> all = new ArrayList<>(finishedSeconds);
        while (all.size() < agents) {
            all.add(Double.POSITIVE_INFINITY);
        }
        return new Completion(Percentiles.p50(all), Percentiles.p90(all), Percentiles.max(all));
    }

    static Completion starling(RunResult r) {
        return of(r.starlingSeconds(), r.agents());
    }

    /** All NaN when the baseline was skipped: "not measured" is not the same as "did not finish". */
    static Completion http(RunResult r) {
        return r.httpSeconds().isEmpty() ? new Completion(Double.NaN, Double.NaN, Double.NaN) : of(r.httpSeconds(), r.agents());
    }
}
