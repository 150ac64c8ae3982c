package io.starling.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.agent.swarm.SwarmState;
import io.starling.agent.swarm.TorrentStatus;
import io.starling.agent.sync.AgentDaemon;
import io.starling.agent.sync.StatusFile;
import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.InstalledRelease;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusCommandTest {

    @Test
    void statusShowsInstalledVersionsAndADownloadWithItsProgressBarPeersAndRates() {
        Instant now = Instant.parse("2026-11-27T10:00:00Z");
        StatusFile.Status status = new StatusFile.Status("agent-1", "http://cp", ProcessHandle.current().pid(), now,
                new AgentDaemon.CheckInResult(now, true, "ok"),
                List.of(new InstalledRelease("office", "2.4.1", 7, true)),
                List.of(new TorrentStatus("setup.bin", "ab", SwarmState.DOWNLOADING, 0.5, 3, 3 << 20, 512 << 10,
                        BytesBySource.NONE, null)),
                List.of(), 0, new StatusFile.AssignmentStatus(12L, now.minusSeconds(600), now.plusSeconds(3000),
                        now.minusSeconds(30), false, null));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        StatusCommand.print(status, now, new PrintStream(out, true, StandardCharsets.UTF_8));

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("running (pid").containsPattern("office\\s+2\\.4\\.1\\s+sequence 7\\s+active")
                .contains("[##########..........]  50.0%").contains("peers 3").contains("down 3.0 MiB/s")
                .contains("up 512.0 KiB/s").contains("Assignment 12 (signed " + now.minusSeconds(600) + "), valid until");
    }

    @Test
    void statusOfAStoppedAgentSaysSo() {
        Instant now = Instant.parse("2026-11-27T10:00:00Z");
        StatusFile.Status status = new StatusFile.Status("agent-1", "http://cp", Long.MAX_VALUE - 1, now, null, List.of(),
                List.of(), List.of(), 2, new StatusFile.AssignmentStatus(12L, now.minusSeconds(7200), now.minusSeconds(3600),
                now.minusSeconds(5400), true, "EXPIRED: expired at " + now.minusSeconds(3600)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        StatusCommand.print(status, now, new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("NOT RUNNING").contains("2 report(s) waiting")
                .contains("(nothing yet)")
                .contains("FROZEN: no valid signed assignment since " + now.minusSeconds(5400))
                .contains("last refused: EXPIRED");
    }

    @Test
    void enrollRefusesAServerThatIsNotAnHttpUrl() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EnrollCommand.serverUri("ftp://x"))
                .hasMessageContaining("must be an http(s) URL");
        assertThat(EnrollCommand.serverUri("https://starling.example.com/").toString()).isEqualTo("https://starling.example.com");
    }
}
