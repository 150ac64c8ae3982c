package io.starling.protocol.agent;

import java.time.Instant;
import java.util.List;

/**
 * One release the control plane wants on this agent.
 *
 * @param id        the deployment id, for status reports
 * @param state     the state the control plane last recorded; CANCELLED tells the agent to stop
 * @param manifest  the exact signed manifest bytes, base64
 * @param signature the detached Ed25519 signature over them, base64
 * @param artifacts one entry per artifact of the manifest
 * @param notBefore the agent does not start before this time (null: now)
 * @param deadline  informative: when the operator wants it done (null: none)
 */
public record DesiredDeployment(
        String id,
        String product,
        String version,
        DeploymentState state,
        String manifest,
        String signature,
        List<DesiredArtifact> artifacts,
        Instant notBefore,
        Instant deadline) {

    public DesiredDeployment {
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    }
}
