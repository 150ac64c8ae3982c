package io.starling.controlplane.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.controlplane.common.DomainException;
import io.starling.protocol.testing.TransitionTable;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentStateTest {

    private static final Map<AgentState, Set<AgentState>> EXPECTED = Map.of(
            AgentState.ACTIVE, EnumSet.of(AgentState.REVOKED),
            AgentState.REVOKED, EnumSet.noneOf(AgentState.class));

    @Test
    void everyListedTransitionIsAllowedAndEveryOtherRefused() {
        TransitionTable.of(AgentState.class, EXPECTED).mayBecome(AgentState::mayBecome).transitionTo(AgentState::transitionTo)
                .refusedWith(DomainException.Conflict.class, null).check();
    }

    @Test
    void aRevokedAgentNeverComesBack() {
        assertThat(AgentState.REVOKED.mayBecome(AgentState.ACTIVE)).isFalse();
    }

    @Test
    void aStateFilterIsReadWithoutRegardToCaseAndAnUnknownOneIsNamed() {
        assertThat(AgentState.parse("revoked")).isEqualTo(AgentState.REVOKED);
        assertThatThrownBy(() -> AgentState.parse("asleep")).isInstanceOf(DomainException.Invalid.class)
                .hasMessageContaining("asleep").hasMessageContaining("ACTIVE");
    }
}
