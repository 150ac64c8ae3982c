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
 * @param peerPublicKey the agent's swarm key (X.509 SubjectPublicKeyInfo, base64), for the peer
 *                     certificate of SSL torrents the answer then carries; null for none
 */
public record EnrollRequest(String token, String hostname, String agentVersion, List<String> labels,
                            String peerPublicKey) {

    /** Without a swarm key: the first peer certificate comes with a check-in. */
    public EnrollRequest(String token, String hostname, String agentVersion, List<String> labels) {
        this(token, hostname, agentVersion, labels, null);
    }

    public EnrollRequest {
        labels = labels == null ? List.of() : List.copyOf(labels);
    }
}
