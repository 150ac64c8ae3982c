package io.starling.e2e.simulator;

/**
 * Max-min fair rates of flows over capacitated links, by progressive filling: every flow's rate
 * grows at the same pace until some link is full; the flows crossing it are frozen at that rate,
 * and the rest keep growing. This is what long-lived TCP flows sharing drop-tail bottlenecks
 * approach, and what the namespace benchmark's {@code tc tbf} links hand out.
 *
 * <p>An indexed heap of each link's fair share (remaining capacity ÷ unfrozen flows) finds the
 * next full link and is updated in place when a flow freezes. Cost: O(flow-link pairs × log
 * links), with no allocation per update.
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
        double[] rate = new double[flows];
        boolean[] frozen = new boolean[flows];
        LinkHeap heap = new LinkHeap(links);
        for (int l = 0; l < links; l++) {
            if (count[l] > 0) {
                heap.put(l, remaining[l] / count[l]);
            }
        }
        while (!heap.isEmpty()) {
            int l = heap.pollMin();
            double share = Math.max(0, remaining[l] / count[l]);
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
                    if (m != l && heap.contains(m)) {
                        if (count[m] > 0) {
                            heap.put(m, Math.max(0, remaining[m]) / count[m]);
                        } else {
                            heap.remove(m);
                        }
                    }
                }
            }
        }
        return rate;
    }

    /** A binary min-heap of links by their fair share, with each link's position kept for updates. */
    private static final class LinkHeap {
        private final int[] heap;
        private final int[] pos;
        private final double[] key;
        private int size;

        LinkHeap(int links) {
            heap = new int[links];
            pos = new int[links];
            key = new double[links];
            java.util.Arrays.fill(pos, -1);
        }

        boolean isEmpty() {
            return size == 0;
        }

        boolean contains(int l) {
            return pos[l] >= 0;
        }

        void put(int l, double k) {
            if (pos[l] < 0) {
                heap[size] = l;
                pos[l] = size++;
                key[l] = k;
                up(pos[l]);
            } else {
                double old = key[l];
                key[l] = k;
                if (k < old) {
                    up(pos[l]);
                } else {
                    down(pos[l]);
                }
            }
        }

        int pollMin() {
            int top = heap[0];
            remove(top);
            return top;
        }

        void remove(int l) {
            int i = pos[l];
            int last = heap[--size];
            pos[l] = -1;
            if (i == size) {
                return;
            }
            heap[i] = last;
            pos[last] = i;
            up(i);
            down(pos[last]);
        }

        private void up(int i) {
            while (i > 0) {
                int parent = (i - 1) / 2;
                if (key[heap[parent]] <= key[heap[i]]) {
                    return;
                }
                swap(i, parent);
                i = parent;
            }
        }

        private void down(int i) {
            while (true) {
                int smallest = i;
                int a = 2 * i + 1;
                int b = a + 1;
                if (a < size && key[heap[a]] < key[heap[smallest]]) {
                    smallest = a;
                }
                if (b < size && key[heap[b]] < key[heap[smallest]]) {
                    smallest = b;
                }
                if (smallest == i) {
                    return;
                }
                swap(i, smallest);
                i = smallest;
            }
        }

        private void swap(int i, int j) {
            int a = heap[i];
            heap[i] = heap[j];
            heap[j] = a;
            pos[heap[i]] = i;
            pos[heap[j]] = j;
        }
    }
}
