package io.starling.protocol.agent;

import io.starling.protocol.keys.SignedKeySet;
import java.time.Instant;
import java.util.List;

/**
 * The agent's desired state.
 *
 * @param agentId       who the control plane thinks is calling
 * @param site          the site the control plane placed the agent in (by its address), or null
 * @param deployments   every deployment not yet final, plus those cancelled since the agent last
 *                      saw them; an agent drops work on a deployment missing from this list
 * @param manifestKeys  the current verification keys (new keys arrive here before they sign)
 * @param peerSources   how to attribute downloaded bytes to sources
 * @param nextCheckInAt when to check in next, by the control plane's clock; already jittered, so
 *                      that a fleet spreads out
 * @param serverTime    the control plane's clock when it answered: an agent measures
 *                      {@code nextCheckInAt} from this, not from its own clock, which may be off
 *                      by minutes (null from a control plane that predates it)
 * @param keySet        the current key set signed by the offline root, or null when there is none;
 *                      an agent that pinned the root takes it when its version is above the one it holds
 * @param assignment    the signed statement of what this agent should run: the agent acts on
 *                      {@code deployments} only as far as it names them (null from a control plane
 *                      that predates it: such an answer starts and cancels nothing)
 * @param peerCertificate the agent's certificate for SSL torrents (PEM), signed by the fleet's swarm
 *                      CA for the key the request carried; null when it asked for none
 */
public record CheckInResponse(
        String agentId,
        String site,
        List<DesiredDeployment> deployments,
        List<TrustedKey> manifestKeys,
        PeerSources peerSources,
        Instant nextCheckInAt,
        Instant serverTime,
        SignedKeySet keySet,
        SignedAssignment assignment,
        String peerCertificate) {

    /** Without a peer certificate. */
    public CheckInResponse(String agentId, String site, List<DesiredDeployment> deployments, List<TrustedKey> manifestKeys,
            PeerSources peerSources, Instant nextCheckInAt, Instant serverTime, SignedKeySet keySet,
            SignedAssignment assignment) {
        this(agentId, site, deployments, manifestKeys, peerSources, nextCheckInAt, serverTime, keySet, assignment, null);
    }

    /** Without a key set or an assignment: what a control plane that predates them answers. */
    public CheckInResponse(String agentId, String site, List<DesiredDeployment> deployments, List<TrustedKey> manifestKeys,
            PeerSources peerSources, Instant nextCheckInAt, Instant serverTime) {
        this(agentId, site, deployments, manifestKeys, peerSources, nextCheckInAt, serverTime, null, null, null);
    }

    public CheckInResponse {
        deployments = deployments == null ? List.of() : List.copyOf(deployments);
        manifestKeys = manifestKeys == null ? List.of() : List.copyOf(manifestKeys);
    }
}
