package io.starling.controlplane.rollout;

import io.starling.controlplane.common.Names;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A rollout as an operator asks for it. Field rules are annotations; the rules that span fields
 * or parse text (waves, durations, times, the window) are {@link RolloutRequestCheck}'s, so that
 * one refusal names every bad field at once.
 */
@ValidRollout
@Schema(description = "A published release sent to a target in waves.", example = """
        {"name": "office-suite 2.4.1 to Berlin", "product": "office-suite", "version": "2.4.1",
         "target": {"sites": ["berlin"], "labels": ["desktop"]},
         "waves": [{"name": "canary", "agentIds": ["7d1e2c3b-4a59-4f60-8e71-92a3b4c5d6e7"], "successThreshold": 100},
                   {"name": "ten percent", "percent": 10},
                   {"name": "everyone else"}],
         "successThreshold": 95, "errorThreshold": 5, "waveTimeout": "PT2H", "advance": "AUTO",
         "startAt": "2026-11-28T18:00:00Z", "deadline": "2026-12-05T18:00:00Z", "mode": "INSTALL",
         "maintenanceWindow": {"cron": "0 22 * * 1-5", "duration": "PT4H", "timezone": "Europe/Berlin"},
         "dynamic": false}""")
public record RolloutRequest(
        @NotBlank(message = "must name the rollout")
        @Size(max = RolloutRequest.MAX_NAME, message = "must be at most " + RolloutRequest.MAX_NAME + " characters")
        String name,
        @NotNull(message = "must name the product")
        @Pattern(regexp = Names.PRODUCT_PATTERN, message = "must be " + Names.PRODUCT_RULE) String product,
        @NotNull(message = "must name the release version")
        @Pattern(regexp = Names.VERSION_PATTERN, message = "is not a valid version") String version,
        @Schema(description = "Which active agents: those on any of the sites, carrying all of the labels, and among"
                + " the ids; each part optional, combined with AND. Absent or empty: every active agent.")
        Target target,
        @NotNull(message = "must list at least one wave")
        @Size(min = 1, max = RolloutRequest.MAX_WAVES, message = "must list 1 to " + RolloutRequest.MAX_WAVES + " waves")
        List<WaveRequest> waves,
        @Schema(description = "Percent of a wave's deployments that must succeed before the next wave starts; default 100")
        @Min(value = 0, message = "must be 0 to 100") @Max(value = 100, message = "must be 0 to 100")
        Integer successThreshold,
        @Schema(description = "Percent of a wave's deployments failing that pauses the rollout; 0 (the default):"
                + " the first failure")
        @Min(value = 0, message = "must be 0 to 100") @Max(value = 100, message = "must be 0 to 100")
        Integer errorThreshold,
        @Schema(description = "ISO-8601 duration; a wave still short of its success threshold after this long"
                + " pauses the rollout (WAVE_TIMEOUT). Absent: no timeout", example = "PT2H")
        String waveTimeout,
        @Schema(description = "AUTO (default): the next wave starts when one succeeds; MANUAL: it waits for /advance")
        Advance advance,
        @Schema(description = "ISO-8601 time to start; absent or past: at once", format = "date-time")
        String startAt,
        @Schema(description = "ISO-8601 time from which agents install even outside the maintenance"
                + " window (not past download-only)",
                format = "date-time")
        String deadline,
        @Schema(description = "INSTALL (default) or DOWNLOAD_ONLY: agents download and wait in DOWNLOADED (a"
                + " deployment counts as done then) until POST /rollouts/{id}/install")
        RolloutMode mode,
        @Schema(description = "When agents may start installing: a 5-field Unix cron expression for when the window"
                + " opens, by the wall clock of the time zone, open for the ISO-8601 duration (PT1M to P7D)")
        MaintenanceWindow maintenanceWindow,
        @Schema(description = "Add agents that match the target later to the last wave (stored; applied later)")
        Boolean dynamic) {

    static final int MAX_NAME = 128;
    static final int MAX_WAVES = 100;
    static final int MAX_AGENT_IDS = 10_000;

    public record Target(List<String> sites, List<String> labels, List<String> agentIds) {
    }

    /**
     * Either a percent of the target or selectors (sites, labels, agentIds: any of the sites, all
     * of the labels, any of the ids); the last wave may give neither and takes the rest.
     */
    public record WaveRequest(String name, Integer percent, List<String> sites, List<String> labels,
            List<String> agentIds, Integer successThreshold, Integer errorThreshold) {

        boolean explicit() {
            return sites != null || labels != null || agentIds != null;
        }
    }

    /**
     * A 5-field Unix cron expression for when the window opens, how long it stays open, and the
     * zone the cron reads in; see {@link io.starling.controlplane.deployment.MaintenanceWindow}.
     */
    public record MaintenanceWindow(String cron, String duration, String timezone) {
    }
}
