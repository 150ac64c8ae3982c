package io.starling.controlplane.rollout;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a rollout request would target, wave by wave, as the wizard shows it before anything is created. */
@Schema(description = "The active agents a rollout request matches now and how its waves would split them; nothing is created.")
public record RolloutPreview(@Schema(description = "Active agents the target matches now") int agents,
        @Schema(description = "The waves in order, each with the agents it would take") List<WavePreview> waves) {

    public record WavePreview(String name, int agents) {
    }
}
