package io.starling.controlplane.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.protocol.bencode.Bencode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrackerResponsesTest {

    private static final Swarm.Stats STATS = new Swarm.Stats(1, 2, 3, 0, 0);

    @Test
    void ipv4PeersAreSixBytesAndIpv6PeersGoToPeers6() {
        byte[] v6 = Addresses.parse("2001:db8::7");
        Swarm.Result result = new Swarm.Result(List.of(
                new PeerAddress(new byte[] {10, 1, 2, 3}, 0x1AE1, null),
                new PeerAddress(v6, 6882, null)), STATS);
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) Bencode.decode(TrackerResponses.announce(result, true, 60, 30));
        assertThat((byte[]) d.get("peers")).containsExactly(10, 1, 2, 3, 0x1A, 0xE1);
        byte[] peers6 = (byte[]) d.get("peers6");
        assertThat(peers6).hasSize(18);
        assertThat(java.util.Arrays.copyOf(peers6, 16)).isEqualTo(v6);
        assertThat(d).containsEntry("complete", 1L).containsEntry("incomplete", 2L).containsEntry("downloaded", 3L);
    }

    @Test
    void ipv4MappedIpv6AddressesAreTreatedAsIpv4() {
        assertThat(Addresses.parse("::ffff:10.1.2.3")).containsExactly(10, 1, 2, 3);
        assertThat(Addresses.parse("[::1]")).hasSize(16);
    }

    @Test
    void hostNamesAreNeverResolved() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Addresses.parse("dead.beef"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailureIsABencodedReason() {
        assertThat(new String(TrackerResponses.failure("unknown passkey")))
                .isEqualTo("d14:failure reason15:unknown passkeye");
    }
}
