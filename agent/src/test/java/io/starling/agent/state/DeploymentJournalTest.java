package io.starling.agent.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.DeploymentState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentJournalTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);
    private static final String MANIFEST = Base64.getEncoder().encodeToString("{\"product\":\"editor\"}".getBytes(StandardCharsets.UTF_8));
    private static final String SIGNATURE = Base64.getEncoder().encodeToString(new byte[64]);

    @TempDir
    Path dir;

    @Test
    void aDeploymentSurvivesARestartExactlyAsItWas() throws Exception {
        DeploymentJournal journal = DeploymentJournal.open(dir, CLOCK);
        journal.begin("d-1", "editor", "2.4.1", MANIFEST, SIGNATURE);
        journal.transition("d-1", DeploymentState.DOWNLOADING);
        journal.addBytes("d-1", new BytesBySource(100, 20, 3, 4));
        journal.addBytes("d-1", new BytesBySource(1, 1, 1, 1));
        journal.reported("d-1", DeploymentState.DOWNLOADING);
        journal.begin("d-2", "viewer", "7", MANIFEST, SIGNATURE);
        journal.transition("d-2", DeploymentState.DOWNLOADED);
        journal.transition("d-2", DeploymentState.INSTALLING);
        journal.fail("d-2", "INSTALL_FAILED", "install command exited with 3", 3, List.of("line 1", "boom"));

        DeploymentJournal reloaded = DeploymentJournal.open(dir, CLOCK);

        assertThat(reloaded.all()).isEqualTo(journal.all());
        DeploymentRecord d1 = reloaded.get("d-1").orElseThrow();
        assertThat(d1.bytes()).isEqualTo(new BytesBySource(101, 21, 4, 5));
        assertThat(d1.needsReport()).isFalse();
        assertThat(d1.manifestBytes()).isEqualTo(Base64.getDecoder().decode(MANIFEST));
        DeploymentRecord d2 = reloaded.get("d-2").orElseThrow();
        assertThat(d2.state()).isEqualTo(DeploymentState.FAILED);
        assertThat(d2.exitCode()).isEqualTo(3);
        assertThat(d2.output()).containsExactly("line 1", "boom");
        assertThat(reloaded.unfinished()).extracting(DeploymentRecord::id).containsExactly("d-1");
        assertThat(reloaded.unreported()).extracting(DeploymentRecord::id).containsExactly("d-2");
    }

    @Test
    void theControlPlaneRepeatingADeploymentDoesNotResetIt() throws Exception {
        DeploymentJournal journal = DeploymentJournal.open(dir, CLOCK);
        journal.begin("d-1", "editor", "2.4.1", MANIFEST, SIGNATURE);
        journal.transition("d-1", DeploymentState.DOWNLOADING);

        DeploymentRecord again = journal.begin("d-1", "editor", "2.4.1", MANIFEST, SIGNATURE);

        assertThat(again.state()).isEqualTo(DeploymentState.DOWNLOADING);
    }

    @Test
    void aMoveTheStateTableForbidsIsRefusedAndNotRecorded() throws Exception {
        DeploymentJournal journal = DeploymentJournal.open(dir, CLOCK);
        journal.begin("d-1", "editor", "2.4.1", MANIFEST, SIGNATURE);

        assertThatThrownBy(() -> journal.transition("d-1", DeploymentState.INSTALLED))
                .isInstanceOf(DeploymentState.IllegalStateTransitionException.class);
        assertThat(DeploymentJournal.open(dir, CLOCK).get("d-1").orElseThrow().state())
                .isEqualTo(DeploymentState.PENDING);
    }

    @Test
    void finishedReportedDeploymentsArePrunedUnfinishedOnesKept() throws Exception {
        DeploymentJournal journal = DeploymentJournal.open(dir, CLOCK);
        journal.begin("done", "editor", "1", MANIFEST, SIGNATURE);
        journal.transition("done", DeploymentState.CANCELLED);
        journal.reported("done", DeploymentState.CANCELLED);
        journal.begin("unreported", "editor", "2", MANIFEST, SIGNATURE);
        journal.transition("unreported", DeploymentState.CANCELLED);
        journal.begin("running", "editor", "3", MANIFEST, SIGNATURE);

        assertThat(journal.pruneFinishedBefore(CLOCK.instant().plusSeconds(1))).isEqualTo(1);
        assertThat(DeploymentJournal.open(dir, CLOCK).all()).extracting(DeploymentRecord::id)
                .containsExactly("running", "unreported");
    }
}
