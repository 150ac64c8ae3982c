package io.starling.controlplane.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.controlplane.common.DomainException;
import io.starling.protocol.testing.TransitionTable;
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
        TransitionTable.of(ReleaseState.class, EXPECTED).mayBecome(ReleaseState::mayBecome).transitionTo(ReleaseState::transitionTo)
                .refusedWith(DomainException.Conflict.class, null).check();
    }

    @Test
    void aPublishedReleaseNeverGoesBackToDraft() {
        assertThat(ReleaseState.PUBLISHED.mayBecome(ReleaseState.DRAFT)).isFalse();
        assertThat(ReleaseState.REVOKED.mayBecome(ReleaseState.PUBLISHED)).isFalse();
    }
}
