package io.starling.controlplane.deployment;

import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(description = "What a deployment request did: one new deployment per target agent, except where one"
        + " already existed (left alone) or the agent is revoked.",
        example = """
        {"product": "office-suite", "version": "2.4.1",
         "created": [{"deploymentId": "3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9", "agentId": "7d1e2c3b-4a59-4f60-8e71-92a3b4c5d6e7"}],
         "skipped": [{"agentId": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "reason": "already has a deployment of this release",
                      "deploymentId": "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"}]}""")
public record DeploymentBatchView(String product, String version, List<Created> created, List<Skipped> skipped) {

    public record Created(UUID deploymentId, UUID agentId) {
    }

    /** @param deploymentId the deployment that already existed, if that is the reason */
    public record Skipped(UUID agentId, String reason, UUID deploymentId) {
    }
}
