package io.starling.controlplane.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A leaked passkey cannot fill a swarm with invented peers, and no swarm grows without bound. */
class SwarmLimitsTest {

    private static final PeerAddress ORIGIN = new PeerAddress(new byte[] {10, 0, 0, 1}, 6881, null);
    private final PeerSelector selector = new PeerSelector(1, 60_000, ORIGIN);
    private final Swarm swarm = new Swarm(new TrackedTorrent("p", "1", "f", new byte[20], new byte[32]),
            new Swarm.Limits(2, 3));

    @Test
    void aPasskeyPastItsPeerCapIsRefusedWhileOtherPasskeysStillJoin() {
        announce(7, "a", AnnounceRequest.Event.NONE);
        announce(7, "b", AnnounceRequest.Event.NONE);
        assertThatThrownBy(() -> announce(7, "c", AnnounceRequest.Event.NONE)).isInstanceOf(TrackerRefusal.class)
                .hasMessageContaining("this passkey already has 2 peers in this swarm");
        assertThatCode(() -> announce(8, "d", AnnounceRequest.Event.NONE)).as("another agent")
                .doesNotThrowAnyException();
        assertThat(swarm.stats().leechers()).isEqualTo(3);
    }

    @Test
    void aKnownPeerAnnouncingAgainIsNeverRefusedByItsOwnCount() {
        announce(7, "a", AnnounceRequest.Event.NONE);
        announce(7, "b", AnnounceRequest.Event.NONE);
        for (int i = 0; i < 5; i++) {
            announce(7, "a", AnnounceRequest.Event.NONE);
        }
        assertThat(swarm.stats().leechers()).isEqualTo(2);
    }

    @Test
    void aStoppedPeerFreesItsPasskeysSlot() {
        announce(7, "a", AnnounceRequest.Event.NONE);
        announce(7, "b", AnnounceRequest.Event.NONE);
        announce(7, "a", AnnounceRequest.Event.STOPPED);
        announce(7, "c", AnnounceRequest.Event.NONE);
        assertThat(swarm.stats().leechers()).isEqualTo(2);
    }

    @Test
    void anExpiredPeerFreesItsPasskeysSlot() {
        announce(7, "a", AnnounceRequest.Event.NONE);
        announce(7, "b", AnnounceRequest.Event.NONE);
        swarm.expire(Long.MAX_VALUE);
        announce(7, "c", AnnounceRequest.Event.NONE);
        assertThat(swarm.stats().leechers()).isEqualTo(1);
    }

    @Test
    void aFullSwarmRefusesNewPeersButKeepsServingItsMembers() {
        announce(1, "a", AnnounceRequest.Event.NONE);
        announce(2, "b", AnnounceRequest.Event.NONE);
        announce(3, "c", AnnounceRequest.Event.NONE);
        assertThatThrownBy(() -> announce(4, "d", AnnounceRequest.Event.NONE)).isInstanceOf(TrackerRefusal.class)
                .hasMessage("this swarm is full (3 peers)");
        assertThatCode(() -> announce(1, "a", AnnounceRequest.Event.NONE)).as("a member's next announce")
                .doesNotThrowAnyException();
        assertThat(swarm.stats().leechers()).isEqualTo(3);
    }

    private List<PeerAddress> announce(long passkeyId, String id, AnnounceRequest.Event event) {
        AnnounceRequest r = new AnnounceRequest(new byte[20], SwarmTest.peerId(id), new byte[] {127, 0, 0, 1},
                1000 + id.charAt(0), 0, 0, 100, event, 50, true);
        return swarm.announce(r, passkeyId, "site", 1_000_000, selector).peers();
    }
}
