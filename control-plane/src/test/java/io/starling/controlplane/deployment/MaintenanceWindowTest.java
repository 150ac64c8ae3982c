package io.starling.controlplane.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Maintenance windows in Europe/Berlin, which springs forward on 2026-03-29 and falls back on 2026-10-25. */
class MaintenanceWindowTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static MaintenanceWindow window(String cron, String duration) {
        return new MaintenanceWindow(cron, Duration.parse(duration), BERLIN);
    }

    private static Instant at(String offsetTime) {
        return OffsetDateTime.parse(offsetTime).toInstant();
    }

    private static MaintenanceWindow.Opening opening(String from, String to) {
        return new MaintenanceWindow.Opening(at(from), at(to));
    }

    @Test
    void aWindowOpenRightNowIsAnsweredWithItsOwnOpeningAndClosingTimes() {
        Instant now = at("2026-06-10T23:15:42+02:00");

        MaintenanceWindow.Opening o = window("0 22 * * *", "PT4H").openingAt(now).orElseThrow();

        assertThat(o).isEqualTo(opening("2026-06-10T22:00:00+02:00", "2026-06-11T02:00:00+02:00"));
        assertThat(o.contains(now)).isTrue();
    }

    @Test
    void aWindowOpensAtTheVeryMinuteItsCronNames() {
        Instant now = at("2026-06-10T22:00:00+02:00");

        assertThat(window("0 22 * * *", "PT4H").openingAt(now)).contains(
                opening("2026-06-10T22:00:00+02:00", "2026-06-11T02:00:00+02:00"));
        assertThat(window("0 22 * * *", "PT4H").openingAt(now.minusMillis(1))).as("a moment earlier it is the next one")
                .contains(opening("2026-06-10T22:00:00+02:00", "2026-06-11T02:00:00+02:00"));
    }

    @Test
    void aWindowThatSpansMidnightIsStillOpenAfterMidnightAndClosedAfterItsDuration() {
        MaintenanceWindow w = window("0 22 * * 1-5", "PT4H");

        assertThat(w.openingAt(at("2026-06-11T01:30:00+02:00"))).as("Wednesday's window, after midnight")
                .contains(opening("2026-06-10T22:00:00+02:00", "2026-06-11T02:00:00+02:00"));
        assertThat(w.openingAt(at("2026-06-11T02:00:00+02:00"))).as("closed at 02:00: Thursday evening is next")
                .contains(opening("2026-06-11T22:00:00+02:00", "2026-06-12T02:00:00+02:00"));
        assertThat(w.openingAt(at("2026-06-13T10:00:00+02:00"))).as("Saturday: Monday evening is next")
                .contains(opening("2026-06-15T22:00:00+02:00", "2026-06-16T02:00:00+02:00"));
    }

    @Test
    void anOpeningInTheHourSpringForwardSkipsOpensAsLateAsTheGapIsLongThatDay() {
        MaintenanceWindow w = window("30 2 * * *", "PT2H");

        assertThat(w.openingAt(at("2026-03-29T01:00:00+01:00"))).as("02:30 does not exist that night")
                .contains(opening("2026-03-29T03:30:00+02:00", "2026-03-29T05:30:00+02:00"));
        assertThat(w.openingAt(at("2026-03-29T06:00:00+02:00"))).as("the next night is as usual")
                .contains(opening("2026-03-30T02:30:00+02:00", "2026-03-30T04:30:00+02:00"));
    }

    @Test
    void aWindowAcrossSpringForwardLastsItsDurationOfElapsedTime() {
        MaintenanceWindow w = window("0 22 * * *", "PT6H");

        assertThat(w.openingAt(at("2026-03-29T04:30:00+02:00"))).as("22:00 winter time plus 6 hours: 05:00 summer time")
                .contains(opening("2026-03-28T22:00:00+01:00", "2026-03-29T05:00:00+02:00"));
        assertThat(w.openingAt(at("2026-03-29T12:00:00+02:00"))).as("that evening's opening is in summer time")
                .contains(opening("2026-03-29T22:00:00+02:00", "2026-03-30T04:00:00+02:00"));
    }

    @Test
    void anOpeningInTheHourFallBackRepeatsOpensOnceAtItsFirstOccurrence() {
        MaintenanceWindow w = window("30 2 * * *", "PT30M");

        assertThat(w.openingAt(at("2026-10-25T01:00:00+02:00")))
                .contains(opening("2026-10-25T02:30:00+02:00", "2026-10-25T03:00:00+02:00"));
        assertThat(w.openingAt(at("2026-10-25T02:10:00+01:00"))).as("the repeated 02:30 winter time opens nothing")
                .contains(opening("2026-10-26T02:30:00+01:00", "2026-10-26T03:00:00+01:00"));
    }

    @Test
    void aWindowAcrossFallBackLastsItsDurationOfElapsedTime() {
        MaintenanceWindow w = window("0 22 * * *", "PT6H");

        assertThat(w.openingAt(at("2026-10-25T02:30:00+01:00"))).as("22:00 summer time plus 6 hours: 03:00 winter time")
                .contains(opening("2026-10-24T22:00:00+02:00", "2026-10-25T03:00:00+01:00"));
        assertThat(w.openingAt(at("2026-10-25T03:00:00+01:00")))
                .contains(opening("2026-10-25T22:00:00+01:00", "2026-10-26T04:00:00+01:00"));
    }

    @Test
    void overlappingOpeningsAnswerTheOneThatClosesLast() {
        assertThat(window("0 * * * *", "PT3H").openingAt(at("2026-06-10T12:30:00+02:00")))
                .contains(opening("2026-06-10T12:00:00+02:00", "2026-06-10T15:00:00+02:00"));
    }

    @Test
    void aCronThatNeverMatchesHasNoOpening() {
        assertThat(window("0 0 31 2 *", "PT1H").openingAt(at("2026-06-10T12:30:00+02:00"))).isEmpty();
    }

    @Test
    void onlyFiveFieldUnixCronExpressionsAreAccepted() {
        MaintenanceWindow.validateCron("0 22 * * 1-5");
        assertThatThrownBy(() -> MaintenanceWindow.validateCron("0 0 22 * * ?")).as("Quartz, with seconds")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MaintenanceWindow.validateCron("every night")).isInstanceOf(IllegalArgumentException.class);
    }
}
