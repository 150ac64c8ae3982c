package io.starling.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.protocol.agent.CheckInResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckInScheduleTest {

    private static final Instant SERVER_NOW = Instant.parse("2026-12-02T10:00:00Z");
    private final CheckInSchedule schedule = new CheckInSchedule(Duration.ofSeconds(60), Duration.ofSeconds(1));

    @Test
    void anAgentWhoseClockIsTenMinutesFastStillWaitsTheIntervalTheControlPlaneAskedFor() {
        CheckInResponse r = response(SERVER_NOW.plusSeconds(55), SERVER_NOW);
        assertThat(schedule.waitAfter(r, SERVER_NOW.plus(Duration.ofMinutes(10)))).isEqualTo(Duration.ofSeconds(55));
    }

    @Test
    void anAgentWhoseClockIsTenMinutesSlowDoesNotWaitTenMinutesLonger() {
        CheckInResponse r = response(SERVER_NOW.plusSeconds(55), SERVER_NOW);
        assertThat(schedule.waitAfter(r, SERVER_NOW.minus(Duration.ofMinutes(10)))).isEqualTo(Duration.ofSeconds(55));
    }

    @Test
    void aControlPlaneThatSendsNoClockIsMeasuredByTheAgentsOwn() {
        CheckInResponse r = response(SERVER_NOW.plusSeconds(30), null);
        assertThat(schedule.waitAfter(r, SERVER_NOW)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aNextTimeAlreadyPastWaitsTheFloorNotZero() {
        CheckInResponse r = response(SERVER_NOW.minusSeconds(30), SERVER_NOW);
        assertThat(schedule.waitAfter(r, SERVER_NOW)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void noNextTimeMeansTheDefaultInterval() {
        assertThat(schedule.waitAfter(response(null, SERVER_NOW), SERVER_NOW)).isEqualTo(Duration.ofSeconds(60));
    }

    private static CheckInResponse response(Instant next, Instant serverTime) {
        return new CheckInResponse("a-1", null, List.of(), List.of(), null, next, serverTime, null);
    }
}
