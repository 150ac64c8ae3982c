package io.starling.controlplane.rollout;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One targeted agent of a rollout and how its deployment goes; state NOT_DEPLOYED before its wave starts. */
@Schema(example = """
        {"agentId": "7d1e2c3b-4a59-4f60-8e71-92a3b4c5d6e7", "hostname": "ws-berlin-042", "site": "berlin",
         "wave": "canary", "deploymentId": "3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9", "state": "FAILED",
         "reason": "INSTALL_FAILED", "detail": "The install command exited with 3.", "exitCode": 3,
         "output": ["copying files", "error: disk full"], "updatedAt": "2026-11-27T10:09:40Z"}""")
public record RolloutAgentView(UUID agentId, String hostname, String site, String wave, UUID deploymentId,
        String state, String reason, String detail, Integer exitCode, List<String> output, Instant updatedAt) {
}
