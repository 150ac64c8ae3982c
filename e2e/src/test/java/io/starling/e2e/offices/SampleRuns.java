package io.starling.e2e.offices;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs with round, hand-checkable numbers for the report tests. */
final class SampleRuns {

    static final long MIB_64 = 64L * 1024 * 1024;

    /** 50 Mbit/s origin, 20 Mbit/s WAN and LAN both ways: F/d_min = F/wan_down = 26.8435456 s binds. */
    static final OfficeLinks OFFICE = new OfficeLinks(50_000_000, 20_000_000, 20_000_000, 20_000_000, 20_000_000);

    private SampleRuns() {
    }

    /**
     * 1 site × 20 agents, 64 MiB. Starling agents finish at 30, 31, … 49 s (none before
     * the 26.8 s bound, as physics demands); HTTP clients at
     * 100, 105, … 195 s. Origin sent 1.5 copies; the WAN carried 1.125 copies, 1.0 of them payload.
     */
    static RunResult oneSite() {
        return new RunResult("1 site × 20 agents", 1, 20, MIB_64, OFFICE, seconds(20, 30, 1), 20, MIB_64 * 3 / 2,
                Map.of("site-1", MIB_64 + MIB_64 / 8), Map.of("site-1", MIB_64), seconds(20, 100, 5),
                "no churn", "2026-11-28T10:15:00Z", "e2e/bench/offices.sh --sites 1 --agents 20");
    }

    /** The same run where two agents never finished and the HTTP baseline was skipped. */
    static RunResult twoAgentsMissingNoHttp() {
        return new RunResult("1 site × 20 agents", 1, 20, MIB_64, OFFICE, seconds(18, 30, 1), 18, MIB_64 * 3 / 2,
                Map.of("site-1", MIB_64 + MIB_64 / 8), Map.of("site-1", MIB_64), List.of(),
                "", "2026-11-28T11:00:00Z", "e2e/bench/offices.sh --sites 1 --agents 20 --no-http");
    }

    /** count values: first, first + step, … */
    static List<Double> seconds(int count, double first, double step) {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            values.add(first + i * step);
        }
        return values;
    }
}
