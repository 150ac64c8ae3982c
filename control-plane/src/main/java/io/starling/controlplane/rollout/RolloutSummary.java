package io.starling.controlplane.rollout;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A rollout in a list: what it is and how far it got; its waves and sites are in {@link RolloutView}. */
@Schema(example = """
        {"id": "5b0c7e1a-2f3d-4c5b-8a6e-7f8091a2b3c4", "name": "office-suite 2.4.1 to Berlin",
         "product": "office-suite", "version": "2.4.1", "state": "PAUSED", "pauseReason": "ERROR_THRESHOLD",
         "agents": 40, "counts": {"INSTALLED": 3, "FAILED": 1, "NOT_DEPLOYED": 36},
         "createdAt": "2026-11-27T10:06:00Z", "createdBy": "operator", "startedAt": "2026-11-27T10:06:00Z",
         "finishedAt": null}""")
public record RolloutSummary(UUID id, String name, String product, String version, RolloutState state,
        PauseReason pauseReason, long agents, Map<String, Long> counts, Instant createdAt, String createdBy,
        Instant startedAt, Instant finishedAt) {
}
