package io.starling.e2e.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FairShareTest {

    @Test
    void flowsThroughOneLinkSplitItEvenly() {
        double[] rates = FairShare.rates(new double[] {30}, new int[][] {{0}, {0}, {0}});

        assertThat(rates).containsExactly(10, 10, 10);
    }

    @Test
    void aFlowHeldBackElsewhereLeavesItsShareToTheOthers() {
        // Link 0 (10) carries flows A and B; link 1 (2) also carries A. A gets 2, B the remaining 8.
        double[] rates = FairShare.rates(new double[] {10, 2}, new int[][] {{0, 1}, {0}});

        assertThat(rates[0]).isCloseTo(2, within(1e-9));
        assertThat(rates[1]).isCloseTo(8, within(1e-9));
    }

    @Test
    void theTextbookParkingLot() {
        // Links 0 and 1 of capacity 1; the long flow crosses both, one short flow each: every flow gets 1/2.
        double[] rates = FairShare.rates(new double[] {1, 1}, new int[][] {{0, 1}, {0}, {1}});

        assertThat(rates).containsExactly(0.5, 0.5, 0.5);
    }

    @Test
    void anOfficeGatewayFeedsItsNeighboursWhileTheOriginFeedsIt() {
        // Origin up 50; office WAN down 20; gateway LAN down 20, LAN up 20; two neighbours' LAN down 20.
        // Origin → gateway: origin up, WAN down, gateway down = 20. Gateway → each neighbour: gateway up
        // (20 shared by two) = 10 each.
        double[] capacity = {50, 20, 20, 20, 20, 20};
        int[][] flows = {{0, 1, 2}, {3, 4}, {3, 5}};

        double[] rates = FairShare.rates(capacity, flows);

        assertThat(rates).containsExactly(20, 10, 10);
    }

    @Test
    void noFlowsNoRates() {
        assertThat(FairShare.rates(new double[] {5}, new int[0][])).isEmpty();
    }
}
