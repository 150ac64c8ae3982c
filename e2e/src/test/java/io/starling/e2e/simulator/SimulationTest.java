package io.starling.e2e.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Small fleets whose outcome can be worked out by hand; the big runs are e2e/bench/simulate.sh. */
class SimulationTest {

    private static final long MBIT = 1_000_000L;
    private static final long MIB = 1L << 20;

    @Test
    void oneAgentAloneDownloadsAtItsLinkRateFromTheOriginTheTrackerHandsIt() {
        Scenario one = Scenario.bench("1 × 1", 1, 1, 50 * MBIT, 20 * MBIT, 20 * MBIT, 16 * MIB, 256 * 1024);

        SimResult r = new Simulation(one, 0.05).run(600);

        // 16 MiB at 95 % of 20 Mbit/s: 7.06 s, after a start within the first 2 s (check-in).
        assertThat(r.achievedSeconds()).isBetween(7.0, 9.2);
        assertThat(r.originRatio()).isCloseTo(1.0, within(0.01));
        assertThat(r.wanRatioMax()).isCloseTo(1.0, within(0.01));
    }

    @Test
    void anOfficePullsAboutOneCopyOverItsWanThroughItsGateway() {
        Scenario office = Scenario.bench("1 × 5", 1, 5, 50 * MBIT, 20 * MBIT, 20 * MBIT, 16 * MIB, 256 * 1024);

        SimResult r = new Simulation(office, 0.05).run(600);

        assertThat(r.achievedSeconds()).isFinite();
        assertThat(r.originRatio()).isLessThan(1.1);
        assertThat(r.wanRatioMax()).isLessThan(1.1);
    }

    @Test
    void httpFromTheOriginSharesTheOfficeWan() {
        // Ten agents behind one 20 Mbit/s WAN: ten copies of 16 MiB through it, 70.6 s at 95 %.
        Scenario office = Scenario.bench("1 × 10", 1, 10, 50 * MBIT, 20 * MBIT, 20 * MBIT, 16 * MIB, 256 * 1024);

        assertThat(HttpBaseline.seconds(office)).isCloseTo(10 * 16 * MIB * 8 / (20e6 * 0.95), within(0.01));
    }
}
