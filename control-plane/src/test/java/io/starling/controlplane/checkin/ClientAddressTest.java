package io.starling.controlplane.checkin;

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
        ForwardedFor.assertTheSocketDecided(ForwardedFor.requestsFromAnOffice("192.0.2.0/24"));
    }
}
