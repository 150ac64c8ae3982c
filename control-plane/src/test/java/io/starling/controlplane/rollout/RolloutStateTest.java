package io.starling.controlplane.rollout;

import static io.starling.controlplane.rollout.RolloutState.CANCELLED;
import static io.starling.controlplane.rollout.RolloutState.DENIED;
import static io.starling.controlplane.rollout.RolloutState.FINISHED;
import static io.starling.controlplane.rollout.RolloutState.PAUSED;
import static io.starling.controlplane.rollout.RolloutState.RUNNING;
import static io.starling.controlplane.rollout.RolloutState.SCHEDULED;
import static io.starling.controlplane.rollout.RolloutState.WAITING_FOR_APPROVAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.starling.controlplane.common.DomainException;
import io.starling.protocol.testing.TransitionTable;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RolloutStateTest {

    /** The table as the issue states it, written out independently of the enum's own table. */
    private static final Map<RolloutState, Set<RolloutState>> EXPECTED = Map.of(
            WAITING_FOR_APPROVAL, EnumSet.of(SCHEDULED, DENIED, CANCELLED),
            SCHEDULED, EnumSet.of(RUNNING, CANCELLED),
            RUNNING, EnumSet.of(PAUSED, FINISHED, CANCELLED),
            PAUSED, EnumSet.of(RUNNING, CANCELLED),
            FINISHED, EnumSet.noneOf(RolloutState.class),
            CANCELLED, EnumSet.noneOf(RolloutState.class),
            DENIED, EnumSet.noneOf(RolloutState.class));

    @Test
    void everyMoveInTheTableIsAcceptedAndEveryOtherRefusedNamingBothStates() {
        TransitionTable.of(RolloutState.class, EXPECTED).mayBecome(RolloutState::mayBecome).transitionTo(RolloutState::transitionTo)
                .refusedWith(DomainException.Conflict.class, (from, to) -> "A " + from.label() + " rollout cannot become " + to.label() + ".").check();
    }

    @Test
    void aCancelledRolloutCannotBeResumed() {
        assertThat(CANCELLED.mayBecome(RUNNING)).isFalse();
    }

    @Test
    void onlyFinishedCancelledAndDeniedAreFinal() {
        assertThat(EnumSet.allOf(RolloutState.class).stream().filter(RolloutState::isFinal))
                .containsExactlyInAnyOrder(FINISHED, CANCELLED, DENIED);
    }

    @Test
    void onlyARolloutWaitingForApprovalCanBeApprovedOrDenied() {
        assertThat(EnumSet.allOf(RolloutState.class).stream().filter(s -> s.mayBecome(DENIED)))
                .containsExactly(WAITING_FOR_APPROVAL);
        assertThat(WAITING_FOR_APPROVAL.mayBecome(RUNNING)).as("an approval schedules; the engine starts").isFalse();
        assertThat(DENIED.mayBecome(SCHEDULED)).as("a denied rollout cannot be approved later").isFalse();
    }
}
