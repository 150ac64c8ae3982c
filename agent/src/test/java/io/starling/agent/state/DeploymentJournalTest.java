package io.starling.agent.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.DeploymentState;
import io.starling.protocol.agent.InstallPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    private static final String D1 = "11111111-1111-4111-8111-111111111111";
    private static final String D2 = "22222222-2222-4222-8222-222222222222";
    private static final String DONE = "d0000000-0000-4000-8000-000000000000";
    private static final String RUNNING = "e0000000-0000-4000-8000-000000000000";
    private static final String UNREPORTED = "f0000000-0000-4000-8000-000000000000";

    @TempDir
    Path dir;

    @Test
    void aRestartedAgentRemembersWhenItMayInstallAndWhyItWaited() throws Exception {
        DeploymentJournal journal = DeploymentJournal.open(dir, CLOCK);
        journal.begin(D1, "editor", "2.4.1", MANIFEST, SIGNATURE);
        journal.transition(D1, DeploymentState.DOWNLOADING);
        journal.transition(D1, DeploymentState.DOWNLOADED);
        InstallPolicy window = new InstallPolicy(false, Instant.parse("2026-11-27T21:00:00Z"),
                Instant.parse("2026-11-28T01:00:00Z"), null);
        journal.install(D1, window);
        journal.waiting(D1, "waiting for the maintenance window opening at 2026-11-27T21:00:00Z");

        DeploymentRecord reloaded = DeploymentJournal.open(dir, CLOCK).get(D1).orElseThrow();

        assertThat(reloaded.install()).isEqualTo(window);
        assertThat(reloaded.detail()).startsWith("waiting for the maintenance window");
        assertThat(journal.transition(D1, DeploymentState.INSTALLING).detail()).as("the wait is over").isNull();
        assertThat(journal.get(D1).orElseThrow().install()).isEqualTo(window);
    }

    @Test
    void aWaitingDeploymentTakesTheRenewedManifestAndAFinishedOneKeepsItsOwn() throws Exception {
        String renewed = Base64.getEncoder().encodeToString("{\"product\":\"editor\",\"renewed\":1}"
                .getBytes(StandardCharsets.UTF_8));
        String renewedSignature = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3});
        DeploymentJournal journal = DeploymentJournal.open(dir, CLOCK);
        journal.begin(D1, "editor", "2.4.1", MANIFEST, SIGNATURE);
        journal.transition(D1, DeploymentState.DOWNLOADING);
        journal.transition(D1, DeploymentState.DOWNLOADED);
        journal.begin(D2, "viewer", "7", MANIFEST, SIGNATURE);
        journal.transition(D2, DeploymentState.DOWNLOADED);
        journal.transition(D2, DeploymentState.INSTALLING);
        journal.transition(D2, DeploymentState.INSTALLED);

        journal.begin(D1, "editor", "2.4.1", renewed, renewedSignature);
        journal.begin(D2, "viewer", "7", renewed, renewedSignature);

        DeploymentJournal reloaded = DeploymentJournal.open(dir, CLOCK);
        DeploymentRecord waiting = reloaded.get(D1).orElseThrow();
        assertThat(waiting.manifest()).isEqualTo(renewed);
        assertThat(waiting.signature()).isEqualTo(renewedSignature);
        assertThat(waiting.state()).isEqualTo(DeploymentState.DOWNLOADED);
        assertThat(reloaded.get(D2).orElseThrow().manifest()).as("what it installed under").isEqualTo(MANIFEST);
    }

    @Test
    void aDeploymentSurvivesARestartExactlyAsItWas() throws Exception {
        DeploymentJournal journal = DeploymentJournal.open(dir, CLOCK);
        journal.begin(D1, "editor", "2.4.1", MANIFEST, SIGNATURE);
        journal.transition(D1, DeploymentState.DOWNLOADING);
        journal.addBytes(D1, new BytesBySource(100, 20, 3, 4));
        journal.addBytes(D1, new BytesBySource(1, 1, 1, 1));
        journal.reported(D1, DeploymentState.DOWNLOADING);
        journal.begin(D2, "viewer", "7", MANIFEST, SIGNATURE);
        journal.transition(D2, DeploymentState.DOWNLOADED);
        journal.transition(D2, DeploymentState.INSTALLING);
        journal.fail(D2, "INSTALL_FAILED", "install command exited with 3", 3, List.of("line 1", "boom"));

        DeploymentJournal reloaded = DeploymentJournal.open(dir, CLOCK);

        assertThat(reloaded.all()).isEqualTo(journal.all());
        DeploymentRecord d1 = reloaded.get(D1).orElseThrow();
        assertThat(d1.bytes()).isEqualTo(new BytesBySource(101, 21, 4, 5));
        assertThat(d1.needsReport()).isFalse();
        assertThat(d1.manifestBytes()).isEqualTo(Base64.getDecoder().decode(MANIFEST));
        DeploymentRecord d2 = reloaded.get(D2).orElseThrow();
        assertThat(d2.state()).isEqualTo(DeploymentState.FAILED);
        assertThat(d2.exitCode()).isEqualTo(3);
        assertThat(d2.output()).containsExactly("line 1", "boom");
        assertThat(reloaded.unfinished()).extracting(DeploymentRecord::id).containsExactly(D1);
        assertThat(reloaded.unreported()).extracting(DeploymentRecord::id).containsExactly(D2);
    }

    @Test
    void theControlPlaneRepeatingADeploymentDoesNotResetIt() throws Exception {
        DeploymentJournal journal = DeploymentJournal.open(dir, CLOCK);
        journal.begin(D1, "editor", "2.4.1", MANIFEST, SIGNATURE);
        journal.transition(D1, DeploymentState.DOWNLOADING);

        DeploymentRecord again = journal.begin(D1, "editor", "2.4.1", MANIFEST, SIGNATURE);

        assertThat(again.state()).isEqualTo(DeploymentState.DOWNLOADING);
    }

    @Test
    void aMoveTheStateTableForbidsIsRefusedAndNotRecorded() throws Exception {
        DeploymentJournal journal = DeploymentJournal.open(dir, CLOCK);
        journal.begin(D1, "editor", "2.4.1", MANIFEST, SIGNATURE);

        assertThatThrownBy(() -> journal.transition(D1, DeploymentState.INSTALLED))
                .isInstanceOf(DeploymentState.IllegalStateTransitionException.class);
        assertThat(DeploymentJournal.open(dir, CLOCK).get(D1).orElseThrow().state())
                .isEqualTo(DeploymentState.PENDING);
    }

    @Test
    void finishedReportedDeploymentsArePrunedUnfinishedOnesKept() throws Exception {
        DeploymentJournal journal = DeploymentJournal.open(dir, CLOCK);
        journal.begin(DONE, "editor", "1", MANIFEST, SIGNATURE);
        journal.transition(DONE, DeploymentState.CANCELLED);
        journal.reported(DONE, DeploymentState.CANCELLED);
        journal.begin(UNREPORTED, "editor", "2", MANIFEST, SIGNATURE);
        journal.transition(UNREPORTED, DeploymentState.CANCELLED);
        journal.begin(RUNNING, "editor", "3", MANIFEST, SIGNATURE);

        assertThat(journal.pruneFinishedBefore(CLOCK.instant().plusSeconds(1))).isEqualTo(1);
        assertThat(DeploymentJournal.open(dir, CLOCK).all()).extracting(DeploymentRecord::id)
                .containsExactly(RUNNING, UNREPORTED);
    }

    @Test
    void aNameThatWouldBecomeAPathOutsideTheStateIsNeverRecorded() {
        for (String[] hostile : new String[][] {{"../../../etc", "editor", "1"}, {D1, "../..", "1"},
                {D1, "editor", "../../../.."}, {D1, "a/b", "1"}, {D1, "editor", "/tmp"}}) {
            assertThatThrownBy(() -> DeploymentJournal.open(dir, CLOCK).begin(hostile[0], hostile[1], hostile[2],
                    MANIFEST, SIGNATURE)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(dir.resolve(DeploymentJournal.FILE_NAME)).doesNotExist();
    }

    @Test
    void aTamperedEntryIsDroppedOnLoadAndTheRestKept() throws Exception {
        DeploymentJournal.open(dir, CLOCK).begin(D1, "editor", "2.4.1", MANIFEST, SIGNATURE);
        Path file = dir.resolve(DeploymentJournal.FILE_NAME);
        ObjectNode document = (ObjectNode) StateJson.MAPPER.readTree(file.toFile());
        ObjectNode deployments = (ObjectNode) document.get("deployments");
        ObjectNode good = (ObjectNode) deployments.get(D1);
        deployments.set("../../../etc", good.deepCopy().put("id", "../../../etc"));
        deployments.set(D2, good.deepCopy().put("id", D2).put("version", "../../../.."));
        deployments.set(DONE, good.deepCopy().put("id", DONE).put("product", "/etc"));
        deployments.set(RUNNING, good.deepCopy().put("id", D1));
        Files.write(file, StateJson.MAPPER.writeValueAsBytes(document));

        DeploymentJournal reloaded = DeploymentJournal.open(dir, CLOCK);

        assertThat(reloaded.all()).extracting(DeploymentRecord::id).containsExactly(D1);
        assertThat(reloaded.unfinished()).extracting(DeploymentRecord::version).containsExactly("2.4.1");
    }
}
