package io.starling.agent.state;

import io.starling.protocol.agent.EnrollResponse;
import io.starling.protocol.agent.TrustedKey;
import java.util.List;
import java.util.Objects;

/**
 * Who this agent is, as enrollment made it: everything {@link EnrollResponse} returned, plus the
 * control plane it enrolled with. Saved by {@link AgentIdentityStore}.
 *
 * @param serverUrl    the control plane's base URL, e.g. {@code https://starling.example.com}
 * @param manifestKeys the pinned manifest verification keys; replaced when a check-in brings new ones
 */
public record AgentIdentity(
        String serverUrl,
        String agentId,
        String clientId,
        String clientSecret,
        String tokenUrl,
        String passkey,
        List<TrustedKey> manifestKeys,
        String site,
        List<String> labels) {

    public AgentIdentity {
        Objects.requireNonNull(serverUrl, "serverUrl");
        Objects.requireNonNull(agentId, "agentId");
        manifestKeys = manifestKeys == null ? List.of() : List.copyOf(manifestKeys);
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    public static AgentIdentity of(String serverUrl, EnrollResponse enrolled) {
        return new AgentIdentity(serverUrl, enrolled.agentId(), enrolled.clientId(), enrolled.clientSecret(),
                enrolled.tokenUrl(), enrolled.passkey(), enrolled.manifestKeys(), enrolled.site(), enrolled.labels());
    }

    /** Never print the secret or the passkey: either lets someone else act as this agent. */
    @Override
    public String toString() {
        return "AgentIdentity[agentId=" + agentId + ", clientId=" + clientId + ", serverUrl=" + serverUrl
                + ", site=" + site + ", labels=" + labels + ", manifestKeys="
                + manifestKeys.stream().map(TrustedKey::keyId).toList() + "]";
    }
}
