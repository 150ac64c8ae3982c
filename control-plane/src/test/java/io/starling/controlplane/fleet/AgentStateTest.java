package io.starling.controlplane.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.controlplane.common.DomainException;
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
        for (AgentState from : AgentState.values()) {
            for (AgentState to : AgentState.values()) {
                if (EXPECTED.get(from).contains(to)) {
                    assertThat(from.transitionTo(to)).isEqualTo(to);
                } else {
                    assertThat(from.mayBecome(to)).as(from + " -> " + to).isFalse();
                    assertThatThrownBy(() -> from.transitionTo(to))
                            .isInstanceOf(DomainException.Conflict.class)
                            .hasMessageContaining(from.name().toLowerCase())
                            .hasMessageContaining(to.name().toLowerCase());
                }
            }
        }
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
