package io.starling.agent.sync;

import java.time.Duration;

/**
 * Whether a deployment's download has stopped getting anywhere: no piece verified for longer
 * than the limit, while every unfinished torrent was downloading. A swarm (or web seed) that
 * trickles bytes without ever completing a piece, or that never answers, would otherwise keep a
 * deployment DOWNLOADING for ever (TUF's slow-retrieval attack). Time spent checking files,
 * paused or in error does not count: only a download that could progress and does not.
 */
final class StallWatch {

    private final long limitNanos;
    private long verified = -1;
    private long sinceNanos;

    /** @param limit zero or negative: never stalled */
    StallWatch(Duration limit) {
        this.limitNanos = limit.isNegative() ? 0 : limit.toNanos();
    }

    /**
     * @param verifiedBytes bytes of pieces that passed their hash check, over every artifact
     * @param downloading   every unfinished download is downloading (not checking, paused, in error)
     * @param nowNanos      a monotonic clock ({@link System#nanoTime()})
     * @return true once there has been no verified progress for the limit
     */
    boolean stalled(long verifiedBytes, boolean downloading, long nowNanos) {
        if (verifiedBytes > verified || !downloading) {
            verified = Math.max(verified, verifiedBytes);
            sinceNanos = nowNanos;
            return false;
        }
        return limitNanos > 0 && nowNanos - sinceNanos >= limitNanos;
    }
}
