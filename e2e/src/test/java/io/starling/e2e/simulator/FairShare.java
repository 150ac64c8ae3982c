package io.starling.e2e.simulator;

import java.util.PriorityQueue;

/**
 * Max-min fair rates of flows over capacitated links, by progressive filling: every flow's rate
 * grows at the same pace until some link is full; the flows crossing it are frozen at that rate,
 * and the rest keep growing. This is what long-lived TCP flows sharing drop-tail bottlenecks
 * approach, and what the namespace benchmark's {@code tc tbf} links hand out.
 *
 * <p>A heap of each link's fair share (remaining capacity ÷ unfrozen flows) finds the next full
 * link; entries go stale when a flow freezes elsewhere and are skipped. Cost: O(flow-link pairs
 * × log links), so 50,000 flows over 20,000 links take milliseconds.
 */
public final class FairShare {

    private FairShare() {
    }

    /**
     * @param capacity  per link, bytes per second
     * @param flowLinks per flow, the links it crosses (each at most once; at least one)
     * @return per flow, its rate in bytes per second
     */
    public static double[] rates(double[] capacity, int[][] flowLinks) {
        int links = capacity.length;
        int flows = flowLinks.length;
        int[] count = new int[links];
        for (int[] path : flowLinks) {
            for (int l : path) {
                count[l]++;
            }
        }
        // Flows by link, compressed: the flows of link l are byLink[start[l] .. start[l+1]).
        int[] start = new int[links + 1];
        for (int l = 0; l < links; l++) {
            start[l + 1] = start[l] + count[l];
        }
        int[] fill = start.clone();
        int[] byLink = new int[start[links]];
        for (int f = 0; f < flows; f++) {
            for (int l : flowLinks[f]) {
                byLink[fill[l]++] = f;
            }
        }
        double[] remaining = capacity.clone();
        int[] version = new int[links];
        boolean[] full = new boolean[links];
        double[] rate = new double[flows];
        boolean[] frozen = new boolean[flows];
        PriorityQueue<double[]> heap = new PriorityQueue<>((a, b) -> Double.compare(a[0], b[0]));
        for (int l = 0; l < links; l++) {
            if (count[l] > 0) {
                heap.add(new double[] {remaining[l] / count[l], l, 0});
            }
        }
        while (!heap.isEmpty()) {
            double[] top = heap.poll();
            int l = (int) top[1];
            if (full[l] || (int) top[2] != version[l]) {
                continue;
            }
            full[l] = true;
            double share = Math.max(0, top[0]);
            for (int i = start[l]; i < start[l + 1]; i++) {
                int f = byLink[i];
                if (frozen[f]) {
                    continue;
                }
                frozen[f] = true;
                rate[f] = share;
                for (int m : flowLinks[f]) {
                    remaining[m] -= share;
                    count[m]--;
                    if (!full[m] && count[m] > 0) {
                        version[m]++;
                        heap.add(new double[] {Math.max(0, remaining[m]) / count[m], m, version[m]});
                    }
                }
            }
        }
        return rate;
    }
}
