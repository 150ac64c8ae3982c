package io.starling.protocol.agent;

import io.starling.protocol.keys.SignedKeySet;
import java.util.List;

/**
 * What an agent keeps after enrolling (readable by its owner only).
 *
 * @param agentId      the agent's id in the control plane
 * @param clientId     its own Keycloak confidential client
 * @param clientSecret that client's secret, for the client-credentials grant
 * @param tokenUrl     the OpenID Connect token endpoint to use it at
 * @param passkey      its tracker passkey; in every announce and web seed URL it uses
 * @param manifestKeys the keys release manifests must be signed with
 * @param site         the site the agent was enrolled into, or null
 * @param labels       the labels it carries
 * @param rootKey      the offline root key that vouches for the manifest keys, or null when the
 *                     control plane has none configured (then {@code manifestKeys} are pinned as they are)
 * @param keySet       the current key set that root signed, or null when none was uploaded yet
 * @param peerCertificate the agent's first certificate for SSL torrents (PEM), signed by the swarm
 *                     CA for the {@code peerPublicKey} of the request; null when the request had
 *                     none. Renewed at check-in
 */
public record EnrollResponse(
        String agentId,
        String clientId,
        String clientSecret,
        String tokenUrl,
        String passkey,
        List<TrustedKey> manifestKeys,
        String site,
        List<String> labels,
        TrustedKey rootKey,
        SignedKeySet keySet,
        String peerCertificate) {

    /** Without a root key: the manifest keys alone. */
    public EnrollResponse(String agentId, String clientId, String clientSecret, String tokenUrl, String passkey,
            List<TrustedKey> manifestKeys, String site, List<String> labels) {
        this(agentId, clientId, clientSecret, tokenUrl, passkey, manifestKeys, site, labels, null, null);
    }

    /** Without a peer certificate. */
    public EnrollResponse(String agentId, String clientId, String clientSecret, String tokenUrl, String passkey,
            List<TrustedKey> manifestKeys, String site, List<String> labels, TrustedKey rootKey, SignedKeySet keySet) {
        this(agentId, clientId, clientSecret, tokenUrl, passkey, manifestKeys, site, labels, rootKey, keySet, null);
    }

    public EnrollResponse {
        manifestKeys = manifestKeys == null ? List.of() : List.copyOf(manifestKeys);
        labels = labels == null ? List.of() : List.copyOf(labels);
    }

    /** Never print the secret. */
    @Override
    public String toString() {
        return "EnrollResponse[agentId=" + agentId + ", clientId=" + clientId + ", site=" + site + "]";
    }
}
