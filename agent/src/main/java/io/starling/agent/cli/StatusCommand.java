package io.starling.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.agent.config.AgentConfig;
import io.starling.agent.state.DeploymentRecord;
import io.starling.agent.swarm.TorrentStatus;
import io.starling.agent.sync.StatusFile;
import io.starling.protocol.agent.InstalledRelease;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show installed versions, downloads with progress, peers and rates, and the last check-in.")
public class StatusCommand implements Callable<Integer> {

    @Inject
    AgentConfig config;

    @Inject
    ObjectMapper json;

    @Override
    public Integer call() {
        Optional<StatusFile.Status> status;
        try {
            status = new StatusFile(config.stateDir(), json).read();
        } catch (IOException e) {
            System.err.println("starling-agent: cannot read the status in " + config.stateDir() + ": " + e.getMessage());
            return ExitCodes.FAILED;
        }
        if (status.isEmpty()) {
            System.err.println("starling-agent: no status in " + config.stateDir() + " (never run here?)");
            return ExitCodes.USAGE;
        }
        print(status.get(), Instant.now(), System.out);
        return ExitCodes.OK;
    }

    static void print(StatusFile.Status s, Instant now, PrintStream out) {
        boolean running = ProcessHandle.of(s.pid()).map(ProcessHandle::isAlive).orElse(false);
        out.printf("Agent %s  server %s  %s%n", s.agentId(), s.server(),
                running ? "running (pid " + s.pid() + ")" : "NOT RUNNING (last seen " + s.updatedAt() + ")");
        if (s.lastCheckIn() != null && s.lastCheckIn().at() != null) {
            out.printf("Last check-in %s: %s%s%n", s.lastCheckIn().at(), s.lastCheckIn().ok() ? "ok" : "FAILED, ",
                    s.lastCheckIn().ok() ? "" : s.lastCheckIn().message());
        }
        printAssignment(s.assignment(), out);
        if (s.queuedReports() > 0) {
            out.printf("%d report(s) waiting for the control plane%n", s.queuedReports());
        }
        out.println();
        out.println("Installed");
        if (s.installed().isEmpty()) {
            out.println("  (nothing yet)");
        }
        for (InstalledRelease r : s.installed()) {
            out.printf("  %-24s %-16s sequence %-5d %s%n", r.product(), r.version(), r.sequence(), r.active() ? "active" : "");
        }
        out.println();
        out.println("Deployments");
        if (s.deployments().isEmpty()) {
            out.println("  (none)");
        }
        for (DeploymentRecord d : s.deployments()) {
            out.printf("  %-36s %-16s %-12s %s%n", d.id(), d.product() + " " + d.version(), d.state(),
                    d.reason() == null ? "" : d.reason() + ": " + d.detail());
        }
        out.println();
        out.println("Swarm");
        if (s.torrents().isEmpty()) {
            out.println("  (no torrents)");
        }
        for (TorrentStatus t : s.torrents()) {
            out.printf("  %-28s %-11s %s %5.1f%%  peers %-3d  down %s  up %s%n", t.name(), t.state(),
                    bar(t.progress(), 20), t.progress() * 100, t.peers(), rate(t.downloadRate()), rate(t.uploadRate()));
        }
    }

    private static void printAssignment(StatusFile.AssignmentStatus a, PrintStream out) {
        if (a == null) {
            return;
        }
        if (a.frozen()) {
            out.printf("FROZEN: no valid signed assignment since %s%s; updates may be withheld%n",
                    a.lastAcceptedAt() == null ? "the agent started" : a.lastAcceptedAt(),
                    a.validUntil() == null ? "" : " (the last expired at " + a.validUntil() + ")");
        } else if (a.sequence() != null) {
            out.printf("Assignment %d (signed %s), valid until %s%n", a.sequence(), a.issuedAt(), a.validUntil());
        } else {
            out.println("No signed assignment yet (frozen if none arrives within an hour of starting)");
        }
        if (a.problem() != null) {
            out.printf("  last refused: %s%n", a.problem());
        }
    }

    static String bar(double fraction, int width) {
        int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * width);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }

    static String rate(long bytesPerSecond) {
        if (bytesPerSecond >= 1 << 20) {
            return String.format("%.1f MiB/s", bytesPerSecond / (double) (1 << 20));
        }
        if (bytesPerSecond >= 1 << 10) {
            return String.format("%.1f KiB/s", bytesPerSecond / (double) (1 << 10));
        }
        return bytesPerSecond + " B/s";
    }
}
