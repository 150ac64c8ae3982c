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
 * @param nextCheckInAt when to check in next, by the control plane's clock; already jittered, so
 *                      that a fleet spreads out
 * @param serverTime    the control plane's clock when it answered: an agent measures
 *                      {@code nextCheckInAt} from this, not from its own clock, which may be off
 *                      by minutes (null from a control plane that predates it)
 * @param assignment    the signed statement of what this agent should run: the agent acts on
 *                      {@code deployments} only as far as it names them (null from a control plane
 *                      that predates it: such an answer starts and cancels nothing)
 */
public record CheckInResponse(
        String agentId,
        String site,
        List<DesiredDeployment> deployments,
        List<TrustedKey> manifestKeys,
        PeerSources peerSources,
        Instant nextCheckInAt,
        Instant serverTime,
        SignedAssignment assignment) {

    public CheckInResponse {
        deployments = deployments == null ? List.of() : List.copyOf(deployments);
        manifestKeys = manifestKeys == null ? List.of() : List.copyOf(manifestKeys);
    }
}
