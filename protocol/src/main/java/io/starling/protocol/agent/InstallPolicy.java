package io.starling.protocol.agent;

import java.time.Instant;

/**
 * When an agent may install a deployment it has downloaded. It downloads at once whatever this
 * says, and waits in DOWNLOADED (seeding) while this says not yet. Times are by the control
 * plane's clock: an agent compares them with {@link CheckInResponse#serverTime()}, corrected by
 * the time elapsed on its own clock since, never with its own clock alone.
 *
 * @param downloadOnly   pre-staging: do not install until a later check-in says otherwise
 *                       (the operator's {@code /install}); the deadline does not override it
 * @param windowOpensAt  the maintenance window open now, or the next one (null: no window);
 *                       computed by the control plane from the rollout's cron and time zone
 * @param windowClosesAt when that window closes (exclusive); with {@code windowOpensAt}
 * @param deadline       from this time on, install even outside the window (null: none)
 */
public record InstallPolicy(boolean downloadOnly, Instant windowOpensAt, Instant windowClosesAt, Instant deadline) {

    /** No constraint: install as soon as the download is verified. */
    public static final InstallPolicy AT_ONCE = new InstallPolicy(false, null, null, null);

    public boolean hasWindow() {
        return windowOpensAt != null && windowClosesAt != null;
    }
}
