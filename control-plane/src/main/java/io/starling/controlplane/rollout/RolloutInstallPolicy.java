package io.starling.controlplane.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.controlplane.deployment.DeploymentPolicy;
import io.starling.controlplane.deployment.MaintenanceWindow;
import java.time.Duration;
import java.time.ZoneId;

/** What a rollout's mode, maintenance window and deadline ask of the deployments it creates. */
final class RolloutInstallPolicy {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RolloutInstallPolicy() {
    }

    static DeploymentPolicy of(Rollout r) {
        return new DeploymentPolicy(r.mode == RolloutMode.DOWNLOAD_ONLY, window(r.maintenanceWindowJson), r.deadline);
    }

    /** @param json as the request gave it, checked by {@link RolloutRequestCheck} before it was stored */
    static MaintenanceWindow window(String json) {
        if (json == null) {
            return null;
        }
        try {
            RolloutRequest.MaintenanceWindow w = JSON.readValue(json, RolloutRequest.MaintenanceWindow.class);
            return new MaintenanceWindow(w.cron(), Duration.parse(w.duration()), ZoneId.of(w.timezone()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored maintenance window no longer reads", e);
        }
    }
}
