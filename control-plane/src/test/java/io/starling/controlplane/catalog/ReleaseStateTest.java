package io.starling.controlplane.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.controlplane.common.DomainException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReleaseStateTest {

    private static final Map<ReleaseState, Set<ReleaseState>> EXPECTED = Map.of(
            ReleaseState.DRAFT, EnumSet.of(ReleaseState.PUBLISHED),
            ReleaseState.PUBLISHED, EnumSet.of(ReleaseState.REVOKED),
            ReleaseState.REVOKED, EnumSet.noneOf(ReleaseState.class));

    @Test
    void everyListedTransitionIsAllowedAndEveryOtherRefused() {
        for (ReleaseState from : ReleaseState.values()) {
            for (ReleaseState to : ReleaseState.values()) {
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
    void aPublishedReleaseNeverGoesBackToDraft() {
        assertThat(ReleaseState.PUBLISHED.mayBecome(ReleaseState.DRAFT)).isFalse();
        assertThat(ReleaseState.REVOKED.mayBecome(ReleaseState.PUBLISHED)).isFalse();
    }
}
