package io.starling.protocol.agent;

import java.util.List;

/**
 * {@code POST /api/agent/v1/check-in}: the agent's inventory.
 *
 * @param agentVersion   the agent's build version
 * @param hostname       how the machine calls itself
 * @param address        the address the agent's swarm listens on, as the agent sees it; the
 *                       control plane uses the address the request came from for sites
 * @param freeDiskBytes  free space where the agent stages downloads
 * @param installed      every installed release
 * @param labels         the agent's labels (informative; the control plane's own list is authoritative)
 * @param assignment     the signed assignment the agent holds, whether it is frozen, and why it
 *                       refused the last answer, if it did (null from an agent that predates it)
 * @param peerPublicKey  the agent's swarm key (X.509 SubjectPublicKeyInfo, base64) when it wants a
 *                       peer certificate for SSL torrents: it has none, or half of it has passed;
 *                       null otherwise
 * @param floorsLowered  product sequence floors the agent lowered since its last check-in that got
 *                       through, because a key set revoked the key that had raised them (a
 *                       fast-forward undone), one line each, e.g. {@code sequence floor of editor
 *                       lowered from 1000 to 4: key 1a2b… was revoked}; empty for none
 */
public record CheckInRequest(
        String agentVersion,
        String hostname,
        String address,
        long freeDiskBytes,
        List<InstalledRelease> installed,
        List<String> labels,
        AssignmentReport assignment,
        String peerPublicKey,
        List<String> floorsLowered) {

    /** Most {@code floorsLowered} lines one check-in carries; more are dropped (each is also logged by the agent). */
    public static final int MAX_FLOORS_LOWERED = 100;

    /** Without lowered floors. */
    public CheckInRequest(String agentVersion, String hostname, String address, long freeDiskBytes,
            List<InstalledRelease> installed, List<String> labels, AssignmentReport assignment, String peerPublicKey) {
        this(agentVersion, hostname, address, freeDiskBytes, installed, labels, assignment, peerPublicKey, null);
    }

    /** Without an assignment report or a certificate request: what an agent that predates them sends. */
    public CheckInRequest(String agentVersion, String hostname, String address, long freeDiskBytes,
            List<InstalledRelease> installed, List<String> labels) {
        this(agentVersion, hostname, address, freeDiskBytes, installed, labels, null, null, null);
    }

    public CheckInRequest {
        installed = installed == null ? List.of() : List.copyOf(installed);
        labels = labels == null ? List.of() : List.copyOf(labels);
        floorsLowered = floorsLowered == null ? List.of()
                : floorsLowered.stream().limit(MAX_FLOORS_LOWERED).filter(java.util.Objects::nonNull).toList();
    }
}
