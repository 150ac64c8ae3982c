package io.starling.protocol.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How an agent installs a release once every artifact is verified.
 *
 * @param archive        name of an artifact to unpack (zip or tar.gz) into the release folder; null for none
 * @param command        argv run in the release folder, never through a shell; null for none
 * @param timeoutSeconds how long {@code command} may run; null means {@value #DEFAULT_TIMEOUT_SECONDS}
 * @param healthCheck    argv that must exit 0 after installing; null for none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InstallSpec(String archive, List<String> command, Integer timeoutSeconds, List<String> healthCheck) {

    public static final int DEFAULT_TIMEOUT_SECONDS = 300;

    public InstallSpec {
        command = command == null ? null : List.copyOf(command);
        healthCheck = healthCheck == null ? null : List.copyOf(healthCheck);
    }

    public int effectiveTimeoutSeconds() {
        return timeoutSeconds == null ? DEFAULT_TIMEOUT_SECONDS : timeoutSeconds;
    }
}
