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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the running agent is doing, written to {@code status.json} in the state folder when it changes, so that {@code starling-agent status} needs neither a port nor the daemon's cooperation.
 */
public final class StatusFile {

    static final String NAME = "status.json";

    private static final Duration REWRITE_IDLE = Duration.ofMinutes(1);

    private final Path file;
    private final ObjectMapper json;
    private Status lastWritten;
    private Instant lastWriteAt = Instant.EPOCH;

    public StatusFile(Path stateDir, ObjectMapper json) {
        this.file = stateDir.resolve(NAME);
        this.json = json;
    }

    public record Status(String agentId, String server, long pid, Instant updatedAt, AgentDaemon.CheckInResult lastCheckIn,
                         List<InstalledRelease> installed, List<TorrentStatus> torrents,
                         List<DeploymentRecord> deployments, int queuedReports, AssignmentStatus assignment) {
    }

    /**
     * The signed assignment the agent acts under.
     *
     * @param sequence       the newest accepted one's sequence (null: none yet)
     * @param validUntil     the newest expiry accepted, by the control plane's clock: past it without a
     *                       new one, the agent is frozen (null: none accepted yet)
     * @param lastAcceptedAt when the last check-in brought a valid one, by this machine's clock
     * @param frozen         no valid assignment since it expired: updates may be withheld
     * @param problem        why the last answer's assignment was refused, if it was
     */
    public record AssignmentStatus(Long sequence, Instant issuedAt, Instant validUntil, Instant lastAcceptedAt,
                                   boolean frozen, String problem) {
    }

    /**
     * Writes the status when something in it changed, and at least once a minute. An idle agent
     * on a laptop must not wake the disk every two seconds to say that nothing happened.
     */
    void update(Status status) {
        Status comparable = withoutTime(status);
        if (comparable.equals(lastWritten) && status.updatedAt().isBefore(lastWriteAt.plus(REWRITE_IDLE))) {
            return;
        }
        try {
            AtomicFiles.write(file, json.writeValueAsBytes(status), true);
            lastWritten = comparable;
            lastWriteAt = status.updatedAt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Status withoutTime(Status s) {
        return new Status(s.agentId(), s.server(), s.pid(), Instant.EPOCH, s.lastCheckIn(), s.installed(), s.torrents(),
                s.deployments(), s.queuedReports(), s.assignment());
    }

    public Optional<Status> read() throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(json.readValue(file.toFile(), Status.class));
    }
}
