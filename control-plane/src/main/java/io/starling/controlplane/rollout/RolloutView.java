package io.starling.controlplane.rollout;

import io.starling.controlplane.deployment.MaintenanceWindow;
import io.starling.protocol.agent.BytesBySource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A rollout with its status. {@code counts} are agents by their deployment's state, with
 * {@code NOT_DEPLOYED} for agents that have none (their wave has not started, or they were
 * revoked before it did).
 */
@Schema(example = """
        {"id": "5b0c7e1a-2f3d-4c5b-8a6e-7f8091a2b3c4", "name": "office-suite 2.4.1 to Berlin",
         "product": "office-suite", "version": "2.4.1", "state": "RUNNING", "pauseReason": null, "pauseDetail": null,
         "waitingForAdvance": false, "target": {"sites": ["berlin"], "labels": null, "agentIds": null},
         "successThreshold": 95, "errorThreshold": 5, "waveTimeout": "PT2H", "advance": "AUTO", "mode": "INSTALL",
         "startAt": null, "deadline": null, "maintenanceWindow": null, "dynamic": false, "agents": 40,
         "counts": {"PENDING": 2, "DOWNLOADING": 1, "DOWNLOADED": 0, "INSTALLING": 0, "INSTALLED": 1, "FAILED": 0,
                    "CANCELLED": 0, "NOT_DEPLOYED": 36},
         "bytes": {"sameSitePeers": 301989888, "otherSitePeers": 0, "originSeeder": 67108864, "webSeed": 33554432},
         "releaseSize": 100663296, "wanRatio": 1.0, "originRatio": 1.0, "estimatedCompletion": "2026-11-27T10:31:00Z",
         "waves": [{"position": 0, "name": "canary", "selector": {"percent": 10}, "state": "RUNNING", "agents": 4,
                    "successThreshold": 95, "errorThreshold": 5, "counts": {"INSTALLED": 1, "PENDING": 2, "DOWNLOADING": 1},
                    "startedAt": "2026-11-27T10:06:00Z", "timesOutAt": "2026-11-27T12:06:00Z", "finishedAt": null}],
         "sites": [{"site": "berlin", "agents": 40, "counts": {"INSTALLED": 1},
                    "bytes": {"sameSitePeers": 301989888, "otherSitePeers": 0, "originSeeder": 67108864, "webSeed": 33554432},
                    "wanRatio": 1.0, "originRatio": 1.0}],
         "createdAt": "2026-11-27T10:06:00Z", "createdBy": "operator", "startedAt": "2026-11-27T10:06:00Z",
         "finishedAt": null, "updatedAt": "2026-11-27T10:07:12Z", "decidedBy": "admin-2",
         "decidedAt": "2026-11-27T10:05:30Z", "decisionComment": null, "windowOpening": null}""")
public record RolloutView(UUID id, String name, String product, String version, RolloutState state,
        PauseReason pauseReason, String pauseDetail,
        @Schema(description = "Running under MANUAL advance with no wave running: waiting for POST …/advance")
        boolean waitingForAdvance,
        RolloutRequest.Target target, int successThreshold, int errorThreshold, String waveTimeout, Advance advance,
        RolloutMode mode, Instant startAt, Instant deadline, RolloutRequest.MaintenanceWindow maintenanceWindow,
        boolean dynamic, long agents, Map<String, Long> counts, BytesBySource bytes,
        @Schema(description = "The release's payload bytes (its artifacts' sizes); null if it has none") Long releaseSize,
        @Schema(description = "Copies of the release that crossed the WAN: (otherSitePeers + originSeeder + webSeed)"
                + " ÷ releaseSize, three decimals; null without releaseSize") Double wanRatio,
        @Schema(description = "Copies of the release the control plane served: (originSeeder + webSeed) ÷ releaseSize,"
                + " three decimals; null without releaseSize") Double originRatio,
        @Schema(description = "When the rollout should be done at the pace of its running waves over the last"
                + " 10 minutes; null unless running with agents finishing") Instant estimatedCompletion,
        List<WaveView> waves,
        List<SiteStatus> sites, Instant createdAt, String createdBy, Instant startedAt, Instant finishedAt,
        Instant updatedAt,
        @Schema(description = "The admin who approved or denied it (approvals on); null until decided")
        String decidedBy, Instant decidedAt, String decisionComment,
        @Schema(description = "With a maintenance window: the opening under way now, or else the next one, by the"
                + " control plane's clock; null without a window or when it never opens again")
        MaintenanceWindow.Opening windowOpening) {

    public record WaveView(int position, String name, WaveSelector selector, WaveState state, long agents,
            int successThreshold, int errorThreshold, Map<String, Long> counts, Instant startedAt, Instant timesOutAt,
            Instant finishedAt) {
    }

    /**
     * @param site null for agents on no site
     * @param wanRatio bytes that came into the site over the WAN (other-site peers, origin seeder,
     *     web seed) ÷ release size; null without a site or a release size
     * @param originRatio (origin seeder + web seed) ÷ release size; null likewise
     */
    public record SiteStatus(String site, long agents, Map<String, Long> counts, BytesBySource bytes, Double wanRatio,
            Double originRatio) {
    }
}
