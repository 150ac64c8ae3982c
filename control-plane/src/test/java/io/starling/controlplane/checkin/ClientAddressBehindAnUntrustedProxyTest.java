package io.starling.controlplane.checkin;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Forwarding switched on, but the request does not come from the proxy the operator named. */
@QuarkusTest
@TestProfile(ClientAddressBehindAnUntrustedProxyTest.AnotherProxy.class)
class ClientAddressBehindAnUntrustedProxyTest {

    public static class AnotherProxy implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.proxy.proxy-address-forwarding", "true",
                    "quarkus.http.proxy.allow-x-forwarded", "true",
                    "quarkus.http.proxy.trusted-proxies", "192.0.2.1");
        }
    }

    @Test
    void aForwardedForHeaderFromAnAddressThatIsNotATrustedProxyIsIgnored() {
        ForwardedFor.Seen seen = ForwardedFor.requestsFromAnOffice("203.0.113.0/24");

        assertThat(seen.enrolledSite()).isNull();
        assertThat(seen.checkInSite()).isNull();
        assertThat(seen.lastAddress()).isEqualTo("127.0.0.1");
        assertThat(seen.trackerPeer()).isEqualTo("127.0.0.1");
    }
}
