package io.starling.protocol.agent;

import java.util.List;

/**
 * One release the control plane wants on this agent.
 *
 * @param id        the deployment id, for status reports
 * @param state     the state the control plane last recorded; CANCELLED tells the agent to stop
 * @param manifest  the exact signed manifest bytes, base64
 * @param signature the detached Ed25519 signature over them, base64
 * @param artifacts one entry per artifact of the manifest
 * @param install   when the agent may install once downloaded (null: at once, as
 *                  {@link InstallPolicy#AT_ONCE})
 * @param stripe    which pieces this agent should ask for first (null: no preference); a hint
 *                  for speed outside the signed assignment, checked with {@link Stripe#valid()}
 */
public record DesiredDeployment(
        String id,
        String product,
        String version,
        DeploymentState state,
        String manifest,
        String signature,
        List<DesiredArtifact> artifacts,
        InstallPolicy install,
        Stripe stripe) {

    /** Without a stripe: what a control plane that predates it answers. */
    public DesiredDeployment(String id, String product, String version, DeploymentState state, String manifest,
            String signature, List<DesiredArtifact> artifacts, InstallPolicy install) {
        this(id, product, version, state, manifest, signature, artifacts, install, null);
    }

    public DesiredDeployment {
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        install = install == null ? InstallPolicy.AT_ONCE : install;
    }
}
