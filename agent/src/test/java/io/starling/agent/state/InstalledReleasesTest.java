package io.starling.agent.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.starling.protocol.agent.InstalledRelease;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstalledReleasesTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aProductNeverInstalledHasNoSequence() throws Exception {
        InstalledReleases installed = InstalledReleases.open(dir);

        assertThat(installed.lastSequence("editor")).isEqualTo(-1);
        assertThat(installed.active("editor")).isEmpty();
        assertThat(installed.previous("editor")).isEmpty();
        assertThat(installed.toInventory()).isEmpty();
    }

    @Test
    void aNewVersionBecomesActiveAndTheOldOneItsPrevious() throws Exception {
        InstalledReleases installed = InstalledReleases.open(dir);
        installed.markInstalled("editor", "1.0", 3, T0);
        installed.markInstalled("editor", "1.1", 5, T0.plusSeconds(60));

        assertThat(installed.lastSequence("editor")).isEqualTo(5);
        assertThat(installed.active("editor")).hasValueSatisfying(r -> assertThat(r.version()).isEqualTo("1.1"));
        assertThat(installed.previous("editor")).hasValueSatisfying(r -> assertThat(r.version()).isEqualTo("1.0"));
        assertThat(installed.toInventory()).containsExactlyInAnyOrder(
                new InstalledRelease("editor", "1.0", 3, false),
                new InstalledRelease("editor", "1.1", 5, true));
    }

    @Test
    void installedReleasesSurviveARestart() throws Exception {
        InstalledReleases installed = InstalledReleases.open(dir);
        installed.markInstalled("editor", "1.0", 3, T0);
        installed.markInstalled("viewer", "7", 1, T0);

        InstalledReleases reloaded = InstalledReleases.open(dir);

        assertThat(reloaded.toInventory()).containsExactlyInAnyOrderElementsOf(installed.toInventory());
        assertThat(reloaded.releases("editor")).isEqualTo(installed.releases("editor"));
        assertThat(reloaded.lastSequence("viewer")).isEqualTo(1);
    }

    @Test
    void forgettingOldVersionsNeverLowersTheSequence() throws Exception {
        InstalledReleases installed = InstalledReleases.open(dir);
        installed.markInstalled("editor", "1.0", 3, T0);
        installed.markInstalled("editor", "1.1", 5, T0.plusSeconds(60));
        installed.forget("editor", "1.1");
        installed.forget("editor", "1.0");

        assertThat(InstalledReleases.open(dir).lastSequence("editor")).isEqualTo(5);
    }

    @Test
    void anExplicitRollbackReinstallsTheOldVersionWithANewSequence() throws Exception {
        InstalledReleases installed = InstalledReleases.open(dir);
        installed.markInstalled("editor", "1.0", 3, T0);
        installed.markInstalled("editor", "1.1", 5, T0.plusSeconds(60));
        installed.markInstalled("editor", "1.0", 6, T0.plusSeconds(120));

        assertThat(installed.toInventory()).containsExactlyInAnyOrder(
                new InstalledRelease("editor", "1.0", 6, true),
                new InstalledRelease("editor", "1.1", 5, false));
        assertThat(installed.previous("editor")).hasValueSatisfying(r -> assertThat(r.version()).isEqualTo("1.1"));
    }

    @Test
    void recordingAnOlderSequenceIsRefusedButRepeatingTheLastIsHarmless() throws Exception {
        InstalledReleases installed = InstalledReleases.open(dir);
        installed.markInstalled("editor", "1.1", 5, T0);

        installed.markInstalled("editor", "1.1", 5, T0.plusSeconds(5));
        assertThatIllegalArgumentException().isThrownBy(() -> installed.markInstalled("editor", "1.0", 4, T0));
        assertThatIllegalArgumentException().isThrownBy(() -> installed.markInstalled("editor", "1.2", 5, T0));
        assertThat(installed.releases("editor")).hasSize(1);
        assertThat(installed.releases("editor").get(0).installedAt()).isEqualTo(T0);
    }

    @Test
    void swappingBackMakesThePreviousVersionActive() throws Exception {
        InstalledReleases installed = InstalledReleases.open(dir);
        installed.markInstalled("editor", "1.0", 3, T0);
        installed.markInstalled("editor", "1.1", 5, T0.plusSeconds(60));

        installed.markActive("editor", "1.0");

        assertThat(InstalledReleases.open(dir).active("editor"))
                .hasValueSatisfying(r -> assertThat(r.version()).isEqualTo("1.0"));
    }

    @Test
    void anUnreadableFileStopsTheAgentInsteadOfForgettingSequences() throws Exception {
        Files.writeString(dir.resolve(InstalledReleases.FILE_NAME), "{not json");

        assertThatIOException().isThrownBy(() -> InstalledReleases.open(dir))
                .withMessageContaining(InstalledReleases.FILE_NAME);
    }

    @Test
    void aProductOrVersionThatIsNotANameIsDroppedOnLoad() throws Exception {
        Files.writeString(dir.resolve(InstalledReleases.FILE_NAME), """
                {"format":1,"products":{
                  "../../outside":{"lastSequence":4,"releases":[{"version":"1.0","sequence":4,"installedAt":"2026-11-27T10:00:00Z","active":true}]},
                  "editor":{"lastSequence":3,"releases":[
                    {"version":"../../..","sequence":2,"installedAt":"2026-11-27T10:00:00Z","active":false},
                    {"version":"1.0","sequence":3,"installedAt":"2026-11-27T11:00:00Z","active":true}]}}}""");

        InstalledReleases installed = InstalledReleases.open(dir);

        assertThat(installed.toInventory()).containsExactly(new InstalledRelease("editor", "1.0", 3, true));
        assertThat(installed.lastSequence("editor")).as("the sequence stays").isEqualTo(3);
    }

    @Test
    void aResetLowersTheFloorButNeverRaisesIt() throws Exception {
        InstalledReleases installed = InstalledReleases.open(dir);
        installed.markInstalled("editor", "1.0", 3, T0);
        installed.markInstalled("editor", "9.9", 1_000_000, T0.plusSeconds(60)); // signed by a stolen key

        assertThat(installed.lowerLastSequence("editor", 3)).isTrue();
        assertThat(installed.mayInstall("editor", "1.1", 4)).isTrue();
        assertThat(installed.lowerLastSequence("editor", 10)).as("never raised").isFalse();
        assertThat(installed.lowerLastSequence("viewer", 1)).as("never installed").isFalse();
        assertThat(InstalledReleases.open(dir).lastSequence("editor")).as("after a restart").isEqualTo(3);
    }

    private static final String GENUINE = "genuine-key";
    private static final String STOLEN = "stolen-key";

    @Test
    void aSequenceFarAheadFromAStolenKeyIsForgottenOnceAKeySetRevokesTheKey() throws Exception {
        InstalledReleases installed = InstalledReleases.open(dir);
        installed.markInstalled("editor", "1.0", 3, GENUINE, T0);
        installed.markInstalled("editor", "9.9", 1000, STOLEN, T0.plusSeconds(60));
        assertThat(installed.mayInstall("editor", "1.1", 5)).as("the attack: genuine 5 is a 'rollback'").isFalse();

        assertThat(installed.forgetSigners(List.of(STOLEN)))
                .containsExactly(new InstalledReleases.Lowered("editor", 1000, 3, Set.of(STOLEN)));

        assertThat(installed.mayInstall("editor", "1.1", 5)).isTrue();
        assertThat(installed.active("editor")).as("the admin rolls forward; nothing is removed")
                .hasValueSatisfying(r -> assertThat(r.version()).isEqualTo("9.9"));
        assertThat(installed.forgetSigners(List.of(STOLEN))).as("once").isEmpty();
        InstalledReleases reloaded = InstalledReleases.open(dir);
        assertThat(reloaded.lastSequence("editor")).as("after a restart").isEqualTo(3);
        reloaded.markInstalled("editor", "1.1", 5, GENUINE, T0.plusSeconds(120));
        assertThat(reloaded.lastSequence("editor")).isEqualTo(5);
    }

    @Test
    void aRevokedKeyNeverRaisesAFloorAgain() throws Exception {
        InstalledReleases installed = InstalledReleases.open(dir);
        installed.markInstalled("editor", "1.0", 3, GENUINE, T0);
        installed.forgetSigners(List.of(STOLEN));

        // Verified before the key set came, installed after it: recorded, but the floor stays.
        installed.markInstalled("editor", "9.9", 1000, STOLEN, T0.plusSeconds(60));

        assertThat(installed.lastSequence("editor")).isEqualTo(3);
        assertThat(installed.active("editor")).hasValueSatisfying(r -> assertThat(r.version()).isEqualTo("9.9"));
        assertThat(InstalledReleases.open(dir).isRevokedSigner(STOLEN)).isTrue();
        assertThat(installed.isRevokedSigner(GENUINE)).isFalse();
    }

    @Test
    void withoutAnyGenuineReleaseTheFloorFallsBackToNothingInstalled() throws Exception {
        InstalledReleases installed = InstalledReleases.open(dir);
        installed.markInstalled("editor", "9.9", 1000, STOLEN, T0);
        installed.markInstalled("viewer", "2", 7, GENUINE, T0);

        assertThat(installed.forgetSigners(List.of(STOLEN)))
                .containsExactly(new InstalledReleases.Lowered("editor", 1000, -1, Set.of(STOLEN)));
        assertThat(installed.lastSequence("viewer")).as("other keys' floors stay").isEqualTo(7);
    }

    @Test
    void aFileFromBeforeSignersWereKeptKeepsItsFloorWhateverIsRevoked() throws Exception {
        Files.writeString(dir.resolve(InstalledReleases.FILE_NAME), """
                {"format":1,"products":{"editor":{"lastSequence":1000,"releases":[
                    {"version":"9.9","sequence":1000,"installedAt":"2026-11-27T10:00:00Z","active":true}]}}}""");
        InstalledReleases installed = InstalledReleases.open(dir);

        assertThat(installed.forgetSigners(List.of(STOLEN))).as("no key is known for 1000").isEmpty();
        installed.markInstalled("editor", "10.0", 1001, GENUINE, T0);
        installed.markInstalled("editor", "10.1", 1002, STOLEN, T0.plusSeconds(60));
        assertThat(installed.lastSequence("editor")).as("a revoked key raises nothing").isEqualTo(1001);
        assertThat(installed.forgetSigners(List.of(GENUINE))).extracting(InstalledReleases.Lowered::to).containsExactly(1000L);
        assertThat(installed.toInventory()).hasSize(3);
    }

    @Test
    void aResetNamesAFloorThatALaterRevocationDoesNotGoBelow() throws Exception {
        InstalledReleases installed = InstalledReleases.open(dir);
        installed.markInstalled("editor", "1.0", 3, STOLEN, T0); // genuine, but signed with the key later stolen
        installed.markInstalled("editor", "9.9", 1000, STOLEN, T0.plusSeconds(60));

        assertThat(installed.lowerLastSequence("editor", 3)).isTrue();
        assertThat(installed.forgetSigners(List.of(STOLEN))).isEmpty();

        assertThat(installed.lastSequence("editor")).isEqualTo(3);
    }
}
