package io.starling.controlplane.rollout;

import static io.starling.controlplane.rollout.WaveState.CANCELLED;
import static io.starling.controlplane.rollout.WaveState.FAILED;
import static io.starling.controlplane.rollout.WaveState.PENDING;
import static io.starling.controlplane.rollout.WaveState.RUNNING;
import static io.starling.controlplane.rollout.WaveState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import io.starling.controlplane.common.DomainException;
import io.starling.protocol.testing.TransitionTable;
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
        TransitionTable.of(WaveState.class, EXPECTED).mayBecome(WaveState::mayBecome).transitionTo(WaveState::transitionTo)
                .refusedWith(DomainException.Conflict.class, (from, to) -> "A " + from.name().toLowerCase() + " wave cannot become " + to.name().toLowerCase() + ".").check();
    }

    @Test
    void aWaveThatEndedNeverRunsAgain() {
        for (WaveState end : EnumSet.of(SUCCEEDED, FAILED, CANCELLED)) {
            assertThat(end.isFinal()).as(end.name()).isTrue();
            assertThat(end.mayBecome(RUNNING)).as(end.name()).isFalse();
        }
    }
}
