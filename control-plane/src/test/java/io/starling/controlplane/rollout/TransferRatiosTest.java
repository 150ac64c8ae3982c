package io.starling.controlplane.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.protocol.agent.BytesBySource;
import org.junit.jupiter.api.Test;

class TransferRatiosTest {

    @Test
    void aSiteThatPulledOneCopyOverTheWanAndSharedItOnTheLanHasRatioOne() {
        // 10 agents × 1,000 bytes: 1,000 came in (half from another site, half from the origin), 9,000 from LAN peers
        BytesBySource b = new BytesBySource(9_000, 500, 300, 200);
        assertThat(TransferRatios.wan(b, 1_000L)).isEqualTo(1.0);
        assertThat(TransferRatios.origin(b, 1_000L)).isEqualTo(0.5);
    }

    @Test
    void everyAgentDownloadingFromTheOriginShowsAsManyCopiesAsAgents() {
        BytesBySource b = new BytesBySource(0, 0, 3_000, 1_000);
        assertThat(TransferRatios.wan(b, 1_000L)).isEqualTo(4.0);
        assertThat(TransferRatios.origin(b, 1_000L)).isEqualTo(4.0);
    }

    @Test
    void ratiosAreRoundedToThreeDecimals() {
        assertThat(TransferRatios.origin(new BytesBySource(0, 0, 1, 0), 3L)).isEqualTo(0.333);
        assertThat(TransferRatios.origin(new BytesBySource(0, 0, 2, 0), 3L)).isEqualTo(0.667);
    }

    @Test
    void withoutAReleaseSizeThereIsNoRatio() {
        BytesBySource b = new BytesBySource(1, 1, 1, 1);
        assertThat(TransferRatios.wan(b, null)).isNull();
        assertThat(TransferRatios.origin(b, 0L)).isNull();
    }

    @Test
    void nothingDownloadedYetIsZeroNotNull() {
        assertThat(TransferRatios.wan(BytesBySource.NONE, 1_000L)).isEqualTo(0.0);
    }
}
