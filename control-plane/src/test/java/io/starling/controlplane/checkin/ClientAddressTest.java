package io.starling.controlplane.checkin;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Enrollment, check-in and the tracker take the client's address from the socket. A header
 * naming another address decides nothing unless a trusted proxy was configured
 * ({@link ClientAddressBehindATrustedProxyTest}, {@link ClientAddressBehindAnUntrustedProxyTest}).
 */
@QuarkusTest
class ClientAddressTest {

    @Test
    void aForwardedForHeaderIsIgnoredWhenNoProxyIsConfigured() {
        ForwardedFor.Seen seen = ForwardedFor.requestsFromAnOffice("192.0.2.0/24");

        assertThat(seen.enrolledSite()).isNull();
        assertThat(seen.checkInSite()).isNull();
        assertThat(seen.lastAddress()).isEqualTo("127.0.0.1");
        assertThat(seen.trackerPeer()).isEqualTo("127.0.0.1");
    }
}
