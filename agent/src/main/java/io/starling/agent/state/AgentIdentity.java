package io.starling.agent.state;

import io.starling.protocol.agent.EnrollResponse;
import io.starling.protocol.agent.TrustedKey;
import io.starling.protocol.keys.SignedKeySet;
import java.util.List;
import java.util.Objects;

/**
 * Who this agent is, as enrollment made it: everything {@link EnrollResponse} returned, plus the
 * control plane it enrolled with. Saved by {@link AgentIdentityStore}.
 *
 * @param serverUrl    the control plane's base URL, e.g. {@code https://starling.example.com}
 * @param manifestKeys the manifest verification keys pinned at enrollment; the only ones trusted
 *                     unless a root is pinned and a key set it signed has been taken
 * @param rootKey      the offline root key pinned at enrollment, or null (then manifestKeys alone)
 * @param keySet       the key set the enrollment answer held, or null; newer ones are kept in
 *                     {@link KeySetStore}
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
        List<String> labels,
        TrustedKey rootKey,
        SignedKeySet keySet) {

    /** Without a root key: the pinned manifest keys alone. */
    public AgentIdentity(String serverUrl, String agentId, String clientId, String clientSecret, String tokenUrl,
            String passkey, List<TrustedKey> manifestKeys, String site, List<String> labels) {
        this(serverUrl, agentId, clientId, clientSecret, tokenUrl, passkey, manifestKeys, site, labels, null, null);
    }

    public AgentIdentity {
        Objects.requireNonNull(serverUrl, "serverUrl");
        Objects.requireNonNull(agentId, "agentId");
        manifestKeys = manifestKeys == null ? List.of() : List.copyOf(manifestKeys);
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    public static AgentIdentity of(String serverUrl, EnrollResponse enrolled) {
        return new AgentIdentity(serverUrl, enrolled.agentId(), enrolled.clientId(), enrolled.clientSecret(),
                enrolled.tokenUrl(), enrolled.passkey(), enrolled.manifestKeys(), enrolled.site(), enrolled.labels(),
                enrolled.rootKey(), enrolled.keySet());
    }

    /** Never print the secret or the passkey: either lets someone else act as this agent. */
    @Override
    public String toString() {
        return "AgentIdentity[agentId=" + agentId + ", clientId=" + clientId + ", serverUrl=" + serverUrl
                + ", site=" + site + ", labels=" + labels + ", manifestKeys="
                + manifestKeys.stream().map(TrustedKey::keyId).toList()
                + (rootKey == null ? "" : ", rootKey=" + rootKey.keyId()) + "]";
    }
}
