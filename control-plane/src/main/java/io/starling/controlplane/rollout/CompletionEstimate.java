package io.starling.controlplane.rollout;

import java.time.Duration;
import java.time.Instant;

/**
 * When a running rollout will be done at its recent pace: agents of its running waves that
 * reached a final state during the last {@link #WINDOW} (or since the earliest running wave
 * started, if that is shorter) give a rate; the agents not yet in a final state, in every wave,
 * divided by that rate give the time left. Deliberately simple: it assumes later waves go as fast
 * as the running ones, and it ignores gates (MANUAL advance, start times, maintenance windows).
 */
final class CompletionEstimate {

    /** Long enough to smooth agents' check-in jitter, short enough to follow a slowing rollout. */
    static final Duration WINDOW = Duration.ofMinutes(10);

    /** Below this much observed time a rate is noise: no estimate during a wave's first seconds. */
    static final Duration MIN_OBSERVED = Duration.ofSeconds(30);

    private CompletionEstimate() {
    }

    /** Where the window starts: {@link #WINDOW} ago, or when the earliest running wave started if later. */
    static Instant windowStart(Instant now, Instant earliestRunningWaveStart) {
        Instant windowAgo = now.minus(WINDOW);
        return earliestRunningWaveStart == null || earliestRunningWaveStart.isBefore(windowAgo) ? windowAgo
                : earliestRunningWaveStart;
    }

    /**
     * @param running the rollout is RUNNING with at least one running wave; otherwise (scheduled,
     *     paused, waiting for a manual advance, ended) there is no estimate
     * @param windowStart from {@link #windowStart}
     * @param doneInWindow agents of the running waves whose deployment reached a final state since windowStart
     * @param remaining agents of the rollout not in a final state yet, every wave counted
     * @return null when not running or no agent finished in the window; {@code now} when nothing remains
     */
    static Instant estimate(boolean running, Instant now, Instant windowStart, long doneInWindow, long remaining) {
        if (!running) {
            return null;
        }
        if (remaining <= 0) {
            return now;
        }
        long observedMillis = Duration.between(windowStart, now).toMillis();
        if (doneInWindow <= 0 || observedMillis < MIN_OBSERVED.toMillis()) {
            return null;
        }
        // remaining ÷ (done ÷ observed), rounded up to the second; in double, as overflow cannot matter at these sizes
        double millisLeft = (double) remaining * observedMillis / doneInWindow;
        return now.plusSeconds((long) Math.ceil(millisLeft / 1000.0));
    }
}
