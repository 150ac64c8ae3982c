package io.starling.controlplane.checkin;

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
            return ForwardedFor.forwardedFrom("192.0.2.1");
        }
    }

    @Test
    void aForwardedForHeaderFromAnAddressThatIsNotATrustedProxyIsIgnored() {
        ForwardedFor.assertTheSocketDecided(ForwardedFor.requestsFromAnOffice("203.0.113.0/24"));
    }
}
