package io.starling.controlplane.checkin;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Behind a TLS-terminating proxy the operator named (docs/operations.md, "Behind a proxy"). */
@QuarkusTest
@TestProfile(ClientAddressBehindATrustedProxyTest.TrustedProxy.class)
class ClientAddressBehindATrustedProxyTest {

    /** The tests' client connects from 127.0.0.1: here that is the proxy. */
    public static class TrustedProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return ForwardedFor.forwardedFrom("127.0.0.1");
        }
    }

    @Test
    void theAddressTheProxyForwardsDecidesTheSiteAndIsWhatPeersAreTold() {
        ForwardedFor.Seen seen = ForwardedFor.requestsFromAnOffice("198.51.100.0/24");

        assertThat(seen.enrolledSite()).matches(ForwardedFor::isOfficeSite);
        assertThat(seen.checkInSite()).isEqualTo(seen.enrolledSite());
        assertThat(seen.lastAddress()).isEqualTo("198.51.100.7");
        assertThat(seen.trackerPeer()).isEqualTo("198.51.100.7");
    }
}
