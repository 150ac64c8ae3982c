package io.starling.controlplane.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveryStateTest {

    @Test
    void aPendingDeliveryIsRetriedDeliveredOrFailed() {
        assertThat(DeliveryState.PENDING.canBecome(DeliveryState.PENDING)).isTrue();
        assertThat(DeliveryState.PENDING.canBecome(DeliveryState.DELIVERED)).isTrue();
        assertThat(DeliveryState.PENDING.canBecome(DeliveryState.FAILED)).isTrue();
        assertThat(DeliveryState.PENDING.finished()).isFalse();
    }

    @Test
    void aDeliveredOrFailedDeliveryIsNeverSentAgain() {
        for (DeliveryState done : new DeliveryState[] {DeliveryState.DELIVERED, DeliveryState.FAILED}) {
            assertThat(done.finished()).isTrue();
            for (DeliveryState next : DeliveryState.values()) {
                assertThat(done.canBecome(next)).as("%s -> %s", done, next).isFalse();
            }
        }
    }
}
