package io.starling.protocol.agent;

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
 * @param nextCheckInAt when to check in next; already jittered, so that a fleet spreads out
 */
public record CheckInResponse(
        String agentId,
        String site,
        List<DesiredDeployment> deployments,
        List<TrustedKey> manifestKeys,
        PeerSources peerSources,
        Instant nextCheckInAt) {

    public CheckInResponse {
        deployments = deployments == null ? List.of() : List.copyOf(deployments);
        manifestKeys = manifestKeys == null ? List.of() : List.copyOf(manifestKeys);
    }
}
