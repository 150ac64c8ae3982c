package io.starling.e2e.simulator;

import io.starling.e2e.offices.LowerBound;
import java.util.Arrays;

/**
 * What one simulation produced, and the benchmark's ratios computed from it.
 *
 * @param doneAt      per agent, seconds from the deployment until it had every piece; NaN if it never did
 * @param joinAt      per agent, when it joined (its last start, after churn)
 * @param wanInBytes  per office, payload that entered it over its WAN link
 * @param httpSeconds the plain HTTP baseline's last finish; NaN when not computed
 * @param wallSeconds how long the simulation took to run
 */
public record SimResult(Scenario scenario, double[] doneAt, double[] joinAt, long originBytes, long[] wanInBytes,
        double httpSeconds, double wallSeconds) {

    public double originRatio() {
        return originBytes / (double) scenario.sizeBytes();
    }

    public double wanRatioMax() {
        return Arrays.stream(wanInBytes).max().orElse(0) / (double) scenario.sizeBytes();
    }

    public double wanRatioMean() {
        return Arrays.stream(wanInBytes).average().orElse(0) / scenario.sizeBytes();
    }

    /** When the last agent was whole; NaN if some never was. */
    public double achievedSeconds() {
        double max = 0;
        for (double d : doneAt) {
            if (Double.isNaN(d)) {
                return Double.NaN;
            }
            max = Math.max(max, d);
        }
        return max;
    }

    /**
     * The Kurose–Ross bound of the offices benchmark ({@link LowerBound}), generalised to offices of
     * different links; with late joiners, no agent can finish before it joined and took F ÷ its downlink.
     */
    public double boundSeconds() {
        Scenario s = scenario;
        double minDown = Double.MAX_VALUE;
        double minWan = Double.MAX_VALUE;
        double sumUp = 0;
        double late = 0;
        for (Scenario.Office o : s.offices()) {
            minDown = Math.min(minDown, o.lanDownBits());
            minWan = Math.min(minWan, o.wanDownBits());
            sumUp += (double) o.agents() * o.lanUpBits();
            if (s.lateFraction() > 0) {
                late = Math.max(late, s.lateSeconds() + s.sizeBytes() * 8.0 / o.lanDownBits());
            }
        }
        return Math.max(late, LowerBound.seconds(s.sizeBytes(), s.agents(), s.originUpBits(), minDown, sumUp, minWan));
    }

    public double boundRatio() {
        return achievedSeconds() / boundSeconds();
    }

    public double speedupVsHttp() {
        return httpSeconds / achievedSeconds();
    }
}
