package io.starling.agent.sync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The control plane's clock as this agent estimates it: its own clock, corrected by the offset
 * measured at the last check-in. Maintenance windows and deadlines are times by the control
 * plane's clock; a workstation whose clock is an hour off must not install an hour early.
 * Before the first check-in (after a restart, with the control plane down) the offset is zero.
 */
final class ServerClock {

    private final Clock local;
    private volatile Duration offset = Duration.ZERO;

    ServerClock(Clock local) {
        this.local = local;
    }

    /** @param serverTime what the control plane's clock read when it answered (null: not said, nothing learnt) */
    void heard(Instant serverTime) {
        if (serverTime != null) {
            offset = Duration.between(local.instant(), serverTime);
        }
    }

    Instant now() {
        return local.instant().plus(offset);
    }

    /** How long from now until {@code serverInstant}, measured on this agent's own clock. */
    Duration until(Instant serverInstant) {
        return Duration.between(now(), serverInstant);
    }
}
