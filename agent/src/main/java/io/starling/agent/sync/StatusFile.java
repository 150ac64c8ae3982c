package io.starling.agent.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.agent.state.AtomicFiles;
import io.starling.agent.state.DeploymentRecord;
import io.starling.agent.swarm.TorrentStatus;
import io.starling.protocol.agent.InstalledRelease;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the running agent is doing, written every two seconds to {@code status.json} in the state
 * folder, so that {@code starling-agent status} needs neither a port nor the daemon's cooperation.
 */
public final class StatusFile {

    static final String NAME = "status.json";

    private final Path file;
    private final ObjectMapper json;

    public StatusFile(Path stateDir, ObjectMapper json) {
        this.file = stateDir.resolve(NAME);
        this.json = json;
    }

    public record Status(String agentId, String server, Instant updatedAt, AgentDaemon.CheckInResult lastCheckIn,
                         List<InstalledRelease> installed, List<TorrentStatus> torrents,
                         List<DeploymentRecord> deployments, int queuedReports) {
    }

    void write(Status status) {
        try {
            AtomicFiles.write(file, json.writeValueAsBytes(status), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Optional<Status> read() throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(json.readValue(file.toFile(), Status.class));
    }
}
