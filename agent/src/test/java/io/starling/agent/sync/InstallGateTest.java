package io.starling.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.protocol.agent.InstallPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class InstallGateTest {

    private static final Instant NOW = Instant.parse("2026-06-10T20:00:00Z");
    private static final Instant OPENS = NOW.plus(Duration.ofHours(2));
    private static final Instant CLOSES = OPENS.plus(Duration.ofHours(4));

    @Test
    void withoutAPolicyItInstallsAtOnce() {
        assertThat(InstallGate.decide(InstallPolicy.AT_ONCE, NOW).install()).isTrue();
    }

    @Test
    void downloadOnlyWaitsForTheControlPlaneEvenPastTheDeadline() {
        InstallGate.Decision d = InstallGate.decide(new InstallPolicy(true, null, null, NOW.minusSeconds(1)), NOW);

        assertThat(d.install()).isFalse();
        assertThat(d.waiting()).isEqualTo("download only: waiting for install");
        assertThat(d.wakeAt()).as("only a check-in can lift it").isNull();
    }

    @Test
    void beforeTheWindowItWaitsForTheOpeningAndWakesThen() {
        InstallGate.Decision d = InstallGate.decide(new InstallPolicy(false, OPENS, CLOSES, null), NOW);

        assertThat(d.install()).isFalse();
        assertThat(d.waiting()).isEqualTo("waiting for the maintenance window opening at 2026-06-10T22:00:00Z");
        assertThat(d.wakeAt()).isEqualTo(OPENS);
    }

    @Test
    void aDeadlineBeforeTheOpeningWakesItAtTheDeadline() {
        Instant deadline = NOW.plus(Duration.ofHours(1));
        InstallGate.Decision d = InstallGate.decide(new InstallPolicy(false, OPENS, CLOSES, deadline), NOW);

        assertThat(d.wakeAt()).isEqualTo(deadline);
        assertThat(InstallGate.decide(new InstallPolicy(false, OPENS, CLOSES, deadline), deadline).install()).isTrue();
    }

    @Test
    void insideTheWindowItInstallsFromTheOpeningUpToButNotIncludingTheClose() {
        InstallPolicy p = new InstallPolicy(false, OPENS, CLOSES, null);

        assertThat(InstallGate.decide(p, OPENS).install()).isTrue();
        assertThat(InstallGate.decide(p, CLOSES.minusMillis(1)).install()).isTrue();
        assertThat(InstallGate.decide(p, CLOSES).install()).isFalse();
    }

    @Test
    void afterAWindowClosedItWaitsForTheNextCheckInToNameTheNextOneUnlessTheDeadlinePassed() {
        InstallGate.Decision d = InstallGate.decide(new InstallPolicy(false, OPENS, CLOSES, null), CLOSES.plusSeconds(1));

        assertThat(d.install()).isFalse();
        assertThat(d.waiting()).startsWith("waiting for the next maintenance window");
        assertThat(d.wakeAt()).isNull();
        assertThat(InstallGate.decide(new InstallPolicy(false, OPENS, CLOSES, CLOSES), CLOSES.plusSeconds(1)).install())
                .isTrue();
    }

    @Test
    void theServerClockCorrectsAWorkstationClockThatIsOff() {
        Instant server = Instant.parse("2026-06-10T20:00:00Z");
        Clock fastByTwoHours = Clock.fixed(server.plus(Duration.ofHours(2)), ZoneOffset.UTC);
        ServerClock clock = new ServerClock(fastByTwoHours);
        clock.heard(server);

        assertThat(clock.now()).isEqualTo(server);
        assertThat(clock.until(server.plusSeconds(30))).isEqualTo(Duration.ofSeconds(30));
    }
}
