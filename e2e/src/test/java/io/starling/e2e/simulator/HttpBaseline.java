package io.starling.e2e.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * Every agent fetching the whole file over plain HTTP from the origin at once, as the benchmark's
 * baseline does with curl: one flow per agent through the origin's uplink, its office's WAN and
 * its LAN link, at max-min fair rates recomputed whenever a download finishes.
 */
final class HttpBaseline {

    private HttpBaseline() {
    }

    /** Seconds until the last agent has the file. */
    static double seconds(Scenario s) {
        int offices = s.offices().size();
        double[] capacity = new double[1 + offices + s.agents()];
        capacity[0] = s.originUpBits() / 8.0 * Simulation.PAYLOAD_SHARE;
        List<int[]> paths = new ArrayList<>();
        int agent = 0;
        for (int o = 0; o < offices; o++) {
            Scenario.Office office = s.offices().get(o);
            capacity[1 + o] = office.wanDownBits() / 8.0 * Simulation.PAYLOAD_SHARE;
            for (int i = 0; i < office.agents(); i++, agent++) {
                int lan = 1 + offices + agent;
                capacity[lan] = office.lanDownBits() / 8.0 * Simulation.PAYLOAD_SHARE;
                paths.add(new int[] {0, 1 + o, lan});
            }
        }
        double[] left = new double[paths.size()];
        java.util.Arrays.fill(left, s.sizeBytes());
        double t = 0;
        List<Integer> running = new ArrayList<>();
        for (int i = 0; i < left.length; i++) {
            running.add(i);
        }
        while (!running.isEmpty()) {
            int[][] p = new int[running.size()][];
            for (int i = 0; i < p.length; i++) {
                p[i] = paths.get(running.get(i));
            }
            double[] rate = FairShare.rates(capacity, p);
            double step = Double.MAX_VALUE;
            for (int i = 0; i < p.length; i++) {
                step = Math.min(step, left[running.get(i)] / rate[i]);
            }
            t += step;
            List<Integer> next = new ArrayList<>();
            for (int i = 0; i < p.length; i++) {
                int f = running.get(i);
                left[f] -= rate[i] * step;
                // Agents of one office on equal links finish together: one solve per distinct finish, not per agent.
                if (left[f] > s.sizeBytes() * 1e-9) {
                    next.add(f);
                }
            }
            running = next;
        }
        return t;
    }
}
