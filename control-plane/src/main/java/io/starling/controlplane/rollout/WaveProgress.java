package io.starling.controlplane.rollout;

/**
 * Where a wave's deployments stand, and what its thresholds make of that. Thresholds are whole
 * percent of the wave's size; the comparisons are done in integers, so that 95 % of 20 agents is
 * exactly 19 and never 18.999….
 *
 * @param size deployments that count: every deployment of the wave except cancelled ones (an
 *     agent revoked meanwhile, a deployment cancelled by hand), which can neither succeed nor fail
 * @param succeeded INSTALLED, or in a download-only rollout DOWNLOADED and beyond
 * @param failed FAILED
 */
record WaveProgress(int size, int succeeded, int failed) {

    WaveProgress {
        if (size < 0 || succeeded < 0 || failed < 0 || succeeded + failed > size) {
            throw new IllegalArgumentException("inconsistent counts " + succeeded + " + " + failed + " of " + size);
        }
    }

    /** At least {@code percent} % succeeded. A wave with nothing left to count has succeeded. */
    boolean reachedSuccess(int percent) {
        return 100L * succeeded >= (long) percent * size;
    }

    /** At least {@code percent} % failed, and at least one did: 0 % means "stop at the first failure". */
    boolean reachedErrors(int percent) {
        return failed > 0 && 100L * failed >= (long) percent * size;
    }
}
