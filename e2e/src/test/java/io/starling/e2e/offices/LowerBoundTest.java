package io.starling.e2e.offices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** F = 64 MiB = 536,870,912 bits throughout; every expected value is F (or N·F) over a rate, by hand. */
class LowerBoundTest {

    private static final long F_BYTES = 64L * 1024 * 1024;
    private static final long G = 1_000_000_000L;
    private static final OfficeLinks OFFICE = new OfficeLinks(50_000_000, 20_000_000, 20_000_000, 20_000_000, 20_000_000);

    @Test
    void oneOfficeOnTwentyMegabitLinksIsBoundByTheAgentDownlinkAt26_8Seconds() {
        // F/u_s = 536870912/50e6 = 10.737 s; N·F/(u_s+Σu_i) = 20·F/450e6 = 23.861 s;
        // F/d_min = F/wan_down = 536870912/20e6 = 26.8435456 s, a tie the downlink wins by order.
        LowerBound.Terms terms = LowerBound.terms(F_BYTES, 20, 1, OFFICE);

        assertThat(terms.originUp()).isCloseTo(10.73741824, within(1e-9));
        assertThat(terms.swarm()).isCloseTo(23.860929422, within(1e-9));
        assertThat(terms.agentDown()).isCloseTo(26.8435456, within(1e-9));
        assertThat(terms.wanDown()).isCloseTo(26.8435456, within(1e-9));
        assertThat(LowerBound.seconds(F_BYTES, 20, 1, OFFICE)).isCloseTo(26.8435456, within(1e-9));
        assertThat(terms.binding()).isEqualTo("F/d_min");
    }

    @Test
    void aSlowOriginBindsAtFOverOriginUplink() {
        // 536870912 / 10e6 = 53.6870912 s; everything else is about half a second on 1 Gbit/s.
        OfficeLinks links = new OfficeLinks(10_000_000, G, G, G, G);
        assertThat(LowerBound.seconds(F_BYTES, 2, 1, links)).isCloseTo(53.6870912, within(1e-9));
        assertThat(LowerBound.terms(F_BYTES, 2, 1, links).binding()).isEqualTo("F/u_s");
    }

    @Test
    void aSlowAgentDownlinkBindsAtFOverAgentDownlink() {
        OfficeLinks links = new OfficeLinks(G, G, G, 10_000_000, G);
        assertThat(LowerBound.seconds(F_BYTES, 2, 1, links)).isCloseTo(53.6870912, within(1e-9));
        assertThat(LowerBound.terms(F_BYTES, 2, 1, links).binding()).isEqualTo("F/d_min");
    }

    @Test
    void manyAgentsWithSlowUplinksAreBoundByTheSwarmTerm() {
        // 100·536870912 / (10e6 + 100·1e6) = 53687091200 / 110e6 = 488.0644654545 s (F/u_s is 53.7 s).
        OfficeLinks links = new OfficeLinks(10_000_000, G, G, G, 1_000_000);
        assertThat(LowerBound.seconds(F_BYTES, 100, 1, links)).isCloseTo(488.0644654545, within(1e-9));
        assertThat(LowerBound.terms(F_BYTES, 100, 1, links).binding()).isEqualTo("N·F/(u_s+Σu_i)");
    }

    @Test
    void aSlowWanDownlinkBindsEvenWhenTheLanIsFast() {
        // 536870912 / 5e6 = 107.3741824 s: each site needs one copy through its WAN, however fast its LAN.
        OfficeLinks links = new OfficeLinks(G, 5_000_000, G, G, G);
        assertThat(LowerBound.seconds(F_BYTES, 4, 2, links)).isCloseTo(107.3741824, within(1e-9));
        assertThat(LowerBound.terms(F_BYTES, 4, 2, links).binding()).isEqualTo("F/wan_down");
    }

    @Test
    void theFormulaNamesEveryTermOnOneLine() {
        assertThat(LowerBound.formula())
                .contains("F/u_s", "F/d_min", "N·F/(u_s+Σu_i)", "F/wan_down")
                .doesNotContain("\n");
    }

    @Test
    void aSiteWithoutAgentsIsRefused() {
        assertThatThrownBy(() -> LowerBound.seconds(F_BYTES, 1, 2, OFFICE))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
