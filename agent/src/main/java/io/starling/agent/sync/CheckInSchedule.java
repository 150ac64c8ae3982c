package io.starling.agent.sync;

import io.starling.protocol.agent.CheckInResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * How long to wait before the next check-in. The control plane names the time by its own clock
 * and says what its clock read, so the wait is the difference of the two: a workstation whose
 * clock is minutes fast (or slow) still calls at the pace the control plane asked for instead of
 * calling again at once, in a loop, until its clock catches up.
 */
final class CheckInSchedule {

    private final Duration defaultInterval;
    private final Duration floor;

    /**
     * @param defaultInterval when the control plane names no next time
     * @param floor           the shortest wait ever taken: "now" is never a good answer to hammer on
     */
    CheckInSchedule(Duration defaultInterval, Duration floor) {
        this.defaultInterval = defaultInterval;
        this.floor = floor;
    }

    Duration waitAfter(CheckInResponse response, Instant agentNow) {
        if (response.nextCheckInAt() == null) {
            return defaultInterval;
        }
        Instant from = response.serverTime() != null ? response.serverTime() : agentNow;
        Duration wait = Duration.between(from, response.nextCheckInAt());
        return wait.compareTo(floor) < 0 ? floor : wait;
    }
}
