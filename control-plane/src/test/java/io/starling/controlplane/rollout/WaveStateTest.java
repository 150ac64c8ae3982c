package io.starling.controlplane.rollout;

import static io.starling.controlplane.rollout.WaveState.CANCELLED;
import static io.starling.controlplane.rollout.WaveState.FAILED;
import static io.starling.controlplane.rollout.WaveState.PENDING;
import static io.starling.controlplane.rollout.WaveState.RUNNING;
import static io.starling.controlplane.rollout.WaveState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.controlplane.common.DomainException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WaveStateTest {

    private static final Map<WaveState, Set<WaveState>> EXPECTED = Map.of(
            PENDING, EnumSet.of(RUNNING, CANCELLED),
            RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED),
            SUCCEEDED, EnumSet.noneOf(WaveState.class),
            FAILED, EnumSet.noneOf(WaveState.class),
            CANCELLED, EnumSet.noneOf(WaveState.class));

    @Test
    void everyMoveInTheTableIsAcceptedAndEveryOtherRefusedNamingBothStates() {
        for (WaveState from : WaveState.values()) {
            for (WaveState to : WaveState.values()) {
                if (EXPECTED.get(from).contains(to)) {
                    assertThat(from.transitionTo(to)).isEqualTo(to);
                } else {
                    assertThat(from.mayBecome(to)).as(from + " -> " + to).isFalse();
                    assertThatThrownBy(() -> from.transitionTo(to))
                            .isInstanceOf(DomainException.Conflict.class)
                            .hasMessage("A " + from.name().toLowerCase() + " wave cannot become "
                                    + to.name().toLowerCase() + ".");
                }
            }
        }
    }

    @Test
    void aWaveThatEndedNeverRunsAgain() {
        for (WaveState end : EnumSet.of(SUCCEEDED, FAILED, CANCELLED)) {
            assertThat(end.isFinal()).as(end.name()).isTrue();
            assertThat(end.mayBecome(RUNNING)).as(end.name()).isFalse();
        }
    }
}
