package io.starling.protocol.agent;

import static io.starling.protocol.agent.DeploymentState.CANCELLED;
import static io.starling.protocol.agent.DeploymentState.DOWNLOADED;
import static io.starling.protocol.agent.DeploymentState.DOWNLOADING;
import static io.starling.protocol.agent.DeploymentState.FAILED;
import static io.starling.protocol.agent.DeploymentState.INSTALLED;
import static io.starling.protocol.agent.DeploymentState.INSTALLING;
import static io.starling.protocol.agent.DeploymentState.PENDING;
import static org.assertj.core.api.Assertions.assertThat;

import io.starling.protocol.testing.TransitionTable;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeploymentStateTest {

    /** The table as the issue states it, written out independently of the enum's own table. */
    private static final Map<DeploymentState, Set<DeploymentState>> EXPECTED = Map.of(
            PENDING, EnumSet.of(DOWNLOADING, DOWNLOADED, FAILED, CANCELLED),
            DOWNLOADING, EnumSet.of(DOWNLOADED, FAILED, CANCELLED),
            DOWNLOADED, EnumSet.of(INSTALLING, FAILED, CANCELLED),
            INSTALLING, EnumSet.of(INSTALLED, FAILED),
            INSTALLED, EnumSet.noneOf(DeploymentState.class),
            FAILED, EnumSet.noneOf(DeploymentState.class),
            CANCELLED, EnumSet.noneOf(DeploymentState.class));

    @Test
    void everyMoveInTheTableIsAcceptedAndEveryOtherRefused() {
        TransitionTable.of(DeploymentState.class, EXPECTED).transitionTo(DeploymentState::transitionTo)
                .refusedWith(DeploymentState.IllegalStateTransitionException.class, (from, to) -> "A " + from.name().toLowerCase() + " deployment cannot become " + to.name().toLowerCase() + ".").check();
    }

    @Test
    void anInstallThatStartedCannotBeCancelled() {
        assertThat(INSTALLING.mayBecome(CANCELLED)).isFalse();
    }

    @Test
    void onlyInstalledFailedAndCancelledAreFinal() {
        assertThat(EnumSet.allOf(DeploymentState.class).stream().filter(DeploymentState::isFinal))
                .containsExactlyInAnyOrder(INSTALLED, FAILED, CANCELLED);
    }

    @Test
    void anAgentBackFromAnOutageCatchesUpThroughTheStatesItMissed() {
        assertThat(DOWNLOADING.pathTo(INSTALLED)).contains(java.util.List.of(DOWNLOADED, INSTALLING, INSTALLED));
        assertThat(PENDING.pathTo(FAILED)).contains(java.util.List.of(FAILED));
        assertThat(INSTALLING.pathTo(INSTALLING)).contains(java.util.List.of());
    }

    @Test
    void noPathLeadsBackwardsOrOutOfAFinalState() {
        assertThat(INSTALLED.pathTo(DOWNLOADING)).isEmpty();
        assertThat(CANCELLED.pathTo(INSTALLED)).isEmpty();
        assertThat(INSTALLING.pathTo(CANCELLED)).isEmpty();
    }
}
