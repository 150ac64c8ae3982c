package io.starling.controlplane.testing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Releases published as plain torrents, as a fleet with stock clients publishes them: for tests
 * whose client has no certificate from the swarm CA (SSL swarms are SslSwarmTest's and AgentsIT's).
 * One profile for every such test, so that they share one start of the application.
 */
public class PlainTorrents implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("starling.swarm.ssl", "false");
    }
}
