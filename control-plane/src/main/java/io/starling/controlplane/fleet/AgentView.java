package io.starling.controlplane.fleet;

import io.starling.protocol.agent.InstalledRelease;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

@Schema(example = """
        {"id": "7d1e2c3b-4a59-4f60-8e71-92a3b4c5d6e7", "clientId": "starling-agent-7d1e2c3b-4a59-4f60-8e71-92a3b4c5d6e7",
         "hostname": "ws-berlin-042", "site": "berlin", "labels": ["finance", "floor-3"], "state": "ACTIVE",
         "agentVersion": "0.1.0", "enrolledAt": "2026-11-27T10:00:00Z", "lastCheckIn": "2026-11-27T10:41:00Z",
         "lastAddress": "10.1.4.42", "freeDiskBytes": 52613349376,
         "installed": [{"product": "office-suite", "version": "2.4.1", "sequence": 3, "active": true}],
         "assignmentValidUntil": "2026-11-27T11:40:00Z", "frozenSince": null, "assignmentProblem": null}""")
public record AgentView(UUID id, String clientId, String hostname, String site, List<String> labels, AgentState state,
        String agentVersion, Instant enrolledAt, Instant lastCheckIn, String lastAddress, Long freeDiskBytes,
        List<InstalledRelease> installed, Instant revokedAt, String revokedBy,
        @Schema(description = "The expiry of the newest signed assignment the agent holds, as it said at its last check-in")
        Instant assignmentValidUntil,
        @Schema(description = "Set while the agent is frozen: its signed assignment expired at this time and no newer"
                + " one has reached it (answers withheld, replayed or refused on the way)")
        Instant frozenSince,
        @Schema(description = "Why the agent refused the last check-in answer it got, e.g. 'BAD_SIGNATURE: …'; null when it took it")
        String assignmentProblem) {

    static AgentView of(Agent a) {
        return new AgentView(a.id, a.clientId, a.hostname, a.site, List.of(a.labels), a.state(), a.agentVersion,
                a.enrolledAt, a.lastCheckIn, a.lastAddress, a.freeDiskBytes, Inventory.read(a.installedJson),
                a.revokedAt, a.revokedBy, a.assignmentValidUntil, a.frozenSince, a.assignmentProblem);
    }
}
