package io.starling.protocol.agent;

import java.util.List;

/**
 * {@code POST /api/agent/v1/enroll}: the one call an agent makes without a bearer token. The
 * enrollment token is the credential; it is single- or limited-use and expires.
 *
 * @param token        the enrollment token an admin created
 * @param hostname     how the machine calls itself; shown to admins, never trusted for identity
 * @param agentVersion the agent's build version
 * @param labels       labels the machine asks for, added to those of the token
 */
public record EnrollRequest(String token, String hostname, String agentVersion, List<String> labels) {
    public EnrollRequest {
        labels = labels == null ? List.of() : List.copyOf(labels);
    }
}
