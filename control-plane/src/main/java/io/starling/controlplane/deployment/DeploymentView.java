package io.starling.controlplane.deployment;

import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.DeploymentState;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(example = """
        {"id": "3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9", "agentId": "7d1e2c3b-4a59-4f60-8e71-92a3b4c5d6e7",
         "hostname": "ws-berlin-042", "site": "berlin", "product": "office-suite", "version": "2.4.1",
         "state": "DOWNLOADING", "bytesDone": 402653184, "bytesTotal": 1073741824,
         "bytes": {"sameSitePeers": 301989888, "otherSitePeers": 0, "originSeeder": 67108864, "webSeed": 33554432},
         "output": [], "createdAt": "2026-11-27T10:06:00Z", "createdBy": "operator", "updatedAt": "2026-11-27T10:07:12Z"}""")
public record DeploymentView(UUID id, UUID agentId, String hostname, String site, String product, String version,
        DeploymentState state, long bytesDone, long bytesTotal, BytesBySource bytes, String reason, String detail,
        Integer exitCode, List<String> output, Instant createdAt, String createdBy, Instant updatedAt) {

    static DeploymentView of(Deployment d) {
        List<String> output = d.output == null || d.output.isEmpty() ? List.of() : List.of(d.output.split("\n", -1));
        return new DeploymentView(d.id, d.agent.id, d.agent.hostname, d.agent.site, d.release.product.name,
                d.release.version, d.state(), d.bytesDone, d.bytesTotal, d.bytes(), d.reason, d.detail, d.exitCode,
                output, d.createdAt, d.createdBy, d.updatedAt);
    }
}
