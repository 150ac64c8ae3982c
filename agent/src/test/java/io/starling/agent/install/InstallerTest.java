package io.starling.agent.install;

import static io.starling.agent.install.ArchiveBuilder.archive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.starling.agent.install.InstallOutcome.Reason;
import io.starling.protocol.manifest.ArtifactEntry;
import io.starling.protocol.manifest.InstallSpec;
import io.starling.protocol.manifest.Manifest;
import io.starling.protocol.testing.ManifestBuilder;
import io.starling.protocol.testing.TestTorrent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallerTest {

    @TempDir
    Path tmp;

    private Path root() {
        return tmp.resolve("releases");
    }

    private Path product() {
        return root().resolve("editor");
    }

    /** A folder of artifacts (as the swarm leaves them) and a manifest naming them. */
    private final class Release {
        private final Path dir;
        private final ManifestBuilder manifest = ManifestBuilder.manifest();
        private final List<ArtifactEntry> entries = new java.util.ArrayList<>();

        Release(String version, long sequence) {
            dir = tmp.resolve("artifacts-" + version);
            manifest.version(version).sequence(sequence);
        }

        Release artifact(String name, byte[] bytes) throws Exception {
            Files.createDirectories(dir);
            Files.write(dir.resolve(name), bytes);
            entries.add(TestTorrent.of(name, bytes).build().entry());
            return this;
        }

        Release artifact(String name, String text) throws Exception {
            return artifact(name, text.getBytes(StandardCharsets.UTF_8));
        }

        Release install(String archive, List<String> command, Integer timeout, List<String> healthCheck) {
            manifest.install(new InstallSpec(archive, command, timeout, healthCheck));
            return this;
        }

        Manifest manifest() {
            return manifest.artifacts(entries.toArray(ArtifactEntry[]::new)).build();
        }

        InstallOutcome installWith(Installer installer) {
            return installer.install(manifest(), dir);
        }
    }

    private Release release(String version) throws Exception {
        return new Release(version, Long.parseLong(version.replace(".", ""))).artifact("tool.bin", "tool " + version);
    }

    private static List<String> sh(String script) {
        return List.of("sh", "-c", script);
    }

    private String currentTarget() throws Exception {
        return Files.readSymbolicLink(product().resolve(Installer.CURRENT)).toString();
    }

    @Test
    void aPlainArtifactIsLinkedIntoItsReleaseAndBecomesCurrent() throws Exception {
        Release r = release("1.0");

        InstallOutcome outcome = r.installWith(new Installer(root()));

        assertThat(outcome.succeeded()).as(outcome.toString()).isTrue();
        assertThat(currentTarget()).isEqualTo("1.0");
        Path installed = product().resolve("current/tool.bin");
        assertThat(installed).hasContent("tool 1.0");
        // Hard-linked, not copied, and still where the swarm seeds it from.
        assertThat(Files.isSameFile(installed, r.dir.resolve("tool.bin"))).isTrue();
        assertThat(new Installer(root()).activeVersion("editor")).contains("1.0");
    }

    @Test
    void aSecondVersionSwapsCurrentAndKeepsTheFirstAThirdRemovesTheFirst() throws Exception {
        Installer installer = new Installer(root());
        release("1.0").installWith(installer);

        InstallOutcome second = release("2.0").installWith(installer);

        assertThat(second.succeeded()).isTrue();
        assertThat(currentTarget()).isEqualTo("2.0");
        assertThat(installer.versions("editor")).containsExactly("1.0", "2.0");

        InstallOutcome third = release("3.0").installWith(installer);

        assertThat(third.removedVersions()).containsExactly("1.0");
        assertThat(installer.versions("editor")).containsExactly("2.0", "3.0");
        assertThat(product().resolve("1.0")).doesNotExist();
    }

    @Test
    void aFailingInstallCommandLeavesThePreviousVersionActive() throws Exception {
        Installer installer = new Installer(root());
        release("1.0").installWith(installer);

        InstallOutcome outcome = release("2.0")
                .install(null, sh("echo preparing; echo 'disk says no' >&2; exit 3"), null, null)
                .installWith(installer);

        assertThat(outcome.succeeded()).isFalse();
        assertThat(outcome.reason()).isEqualTo(Reason.INSTALL_FAILED);
        assertThat(outcome.exitCode()).isEqualTo(3);
        assertThat(outcome.detail()).isEqualTo("install command exited with 3");
        assertThat(outcome.output()).containsExactly("preparing", "disk says no");
        assertThat(currentTarget()).isEqualTo("1.0");
        assertThat(product().resolve("2.0")).doesNotExist();
        assertThat(product().resolve("1.0")).isDirectory();
    }

    @Test
    void theInstallCommandRunsInTheFinalReleaseFolderWithItsEnvironment() throws Exception {
        InstallOutcome outcome = release("1.0")
                .install(null, sh("pwd > where; echo \"$STARLING_PRODUCT $STARLING_VERSION $STARLING_RELEASE_DIR\" > env"),
                        null, null)
                .installWith(new Installer(root()));

        assertThat(outcome.succeeded()).as(outcome.toString()).isTrue();
        Path release = product().resolve("1.0").toRealPath();
        assertThat(Files.readString(release.resolve("where")).strip()).isEqualTo(release.toString());
        assertThat(Files.readString(release.resolve("env")).strip())
                .isEqualTo("editor 1.0 " + root().toAbsolutePath().resolve("editor/1.0"));
    }

    @Test
    void aCommandThatRunsTooLongIsKilledWithEverythingItStarted() throws Exception {
        Installer installer = new Installer(root());
        release("1.0").installWith(installer);
        Path pidFile = tmp.resolve("child.pid");

        long start = System.nanoTime();
        InstallOutcome outcome = release("2.0")
                .install(null, sh("echo started; sleep 30 & echo $! > " + pidFile + "; sleep 30"), 1, null)
                .installWith(installer);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).as("the command alone would run 30 s").isLessThan(Duration.ofSeconds(15));
        assertThat(outcome.reason()).isEqualTo(Reason.INSTALL_FAILED);
        assertThat(outcome.detail()).isEqualTo("install command timed out after 1 s");
        assertThat(outcome.exitCode()).isNull();
        assertThat(outcome.output()).containsExactly("started");
        long child = Long.parseLong(Files.readString(pidFile).strip());
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
        assertThat(currentTarget()).isEqualTo("1.0");
    }

    @Test
    void theInstallCommandSeesOnlyTheAllowlistedEnvironmentNeverTheAgentsSettings() throws Exception {
        // Set for this JVM by the agent's pom (surefire), as systemd's EnvironmentFile would.
        assertThat(System.getenv("STARLING_AGENT_TEST_SECRET")).as("precondition").isNotBlank();

        InstallOutcome outcome = release("1.0").install(null, List.of("env"), null, null)
                .installWith(new Installer(root()));

        assertThat(outcome.succeeded()).as(outcome.toString()).isTrue();
        Map<String, String> seen = new LinkedHashMap<>();
        outcome.output().forEach(line -> seen.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(
                Stream.concat(InstallEnvironment.NAMES.stream(), Stream.of(ProcessTreeKiller.MARKER)).toList());
        assertThat(seen).containsEntry("PATH", InstallEnvironment.PATH).containsEntry("LC_ALL", "C.UTF-8")
                .containsEntry("STARLING_PRODUCT", "editor").containsEntry("STARLING_VERSION", "1.0")
                .containsEntry("STARLING_SEQUENCE", "10");
        assertThat(String.join("\n", outcome.output())).doesNotContain(System.getenv("STARLING_AGENT_TEST_SECRET"));
    }

    @Test
    void aDaemonThatLeftTheCommandsSessionIsKilledOnTimeoutToo() throws Exception {
        Path pidFile = tmp.resolve("daemon.pid");
        // The subshell forks and exits: the daemon is re-parented to init (no longer a descendant)
        // and setsid puts it into a session and process group of its own.
        String daemon = "(setsid sh -c 'echo $$ > " + pidFile + "; exec sleep 1000' &)";

        InstallOutcome outcome = release("1.0").install(null, sh(daemon + "; sleep 1000"), 1, null)
                .installWith(new Installer(root()));

        assertThat(outcome.detail()).isEqualTo("install command timed out after 1 s");
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        await().atMost(Duration.ofSeconds(5)).until(() -> !running(pid));
    }

    /** Alive and not a zombie (an orphan's zombie lingers where PID 1 does not reap). */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void onlyTheLastFiftyLinesOfBoundedLengthAreKept() throws Exception {
        InstallOutcome outcome = release("1.0")
                .install(null, sh("i=0; while [ $i -lt 200 ]; do echo line $i; i=$((i+1)); done; "
                        + "head -c 5000 /dev/zero | tr '\\0' x; echo; exit 1"), null, null)
                .installWith(new Installer(root()));

        assertThat(outcome.output()).hasSize(CommandRunner.MAX_LINES);
        assertThat(outcome.output().get(0)).isEqualTo("line 151");
        assertThat(outcome.output().get(49)).hasSize(CommandRunner.MAX_LINE_LENGTH + OutputTail.CUT.length())
                .endsWith(OutputTail.CUT);
    }

    @Test
    void aFailingHealthCheckSwapsBackToThePreviousVersion() throws Exception {
        Installer installer = new Installer(root());
        release("1.0").installWith(installer);

        InstallOutcome outcome = release("2.0")
                .install(null, null, null, sh("echo 'port 8080 refused'; exit 1"))
                .installWith(installer);

        assertThat(outcome.reason()).isEqualTo(Reason.HEALTH_CHECK_FAILED);
        assertThat(outcome.exitCode()).isEqualTo(1);
        assertThat(outcome.output()).containsExactly("port 8080 refused");
        assertThat(currentTarget()).isEqualTo("1.0");
        assertThat(product().resolve("2.0")).doesNotExist();
    }

    @Test
    void aFailingHealthCheckOnAFirstInstallLeavesNoCurrentLink() throws Exception {
        InstallOutcome outcome = release("1.0")
                .install(null, null, null, List.of("false"))
                .installWith(new Installer(root()));

        assertThat(outcome.reason()).isEqualTo(Reason.HEALTH_CHECK_FAILED);
        assertThat(product().resolve(Installer.CURRENT)).doesNotExist();
        assertThat(Files.isSymbolicLink(product().resolve(Installer.CURRENT))).isFalse();
        assertThat(product().resolve("1.0")).doesNotExist();
    }

    @Test
    void theHealthCheckRunsAgainstTheNewlyActiveRelease() throws Exception {
        InstallOutcome outcome = release("1.0")
                .install(null, null, null, List.of("test", "-f", "tool.bin"))
                .installWith(new Installer(root()));

        assertThat(outcome.succeeded()).as(outcome.toString()).isTrue();
    }

    @Test
    void aZipSlipEntryIsRefusedAndNothingIsWrittenOutsideTheRelease() throws Exception {
        Installer installer = new Installer(root());
        release("1.0").installWith(installer);
        byte[] zip = archive().file("ok.txt", "fine").file("../evil", "pwned").zip();

        InstallOutcome outcome = new Release("2.0", 20).artifact("app.zip", zip)
                .install("app.zip", null, null, null).installWith(installer);

        assertThat(outcome.reason()).isEqualTo(Reason.BAD_ARCHIVE);
        assertThat(outcome.detail()).contains("'../evil'").contains("outside the release folder");
        assertThat(root().resolve("evil")).doesNotExist();
        assertThat(product().resolve("evil")).doesNotExist();
        assertThat(tmp.resolve("evil")).doesNotExist();
        assertThat(product().resolve("2.0")).doesNotExist();
        assertThat(currentTarget()).isEqualTo("1.0");
        try (Stream<Path> left = Files.list(product())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("1.0", "current");
        }
    }

    @Test
    void absolutePathsAndLinksInArchivesAreRefused() throws Exception {
        Installer installer = new Installer(root());
        Map<String, byte[]> hostile = new LinkedHashMap<>();
        hostile.put("is an absolute path", archive().file("/tmp/starling-absolute", "x").tarGz());
        hostile.put("climbs out with '..'", archive().file("a/../../escape", "x").tarGz());
        hostile.put("'link' is a link", archive().symlink("link", "/etc").file("link/passwd", "x").tarGz());
        hostile.put("'link' is a symbolic link", archive().symlink("link", "/etc").zip());
        hostile.put("appears twice", archive().file("a", "1").file("a", "2").tarGz());
        hostile.put("reserves", archive().file(Installer.MARKER, "forged").tarGz());

        hostile.forEach((why, bytes) -> {
            InstallOutcome outcome;
            try {
                outcome = new Release("1.0", 10).artifact("app.tar.gz", bytes)
                        .install("app.tar.gz", null, null, null).installWith(installer);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            assertThat(outcome.reason()).as(outcome.detail()).isEqualTo(Reason.BAD_ARCHIVE);
            assertThat(outcome.detail()).startsWith("app.tar.gz: archive entry").contains(why);
        });
        assertThat(Path.of("/tmp/starling-absolute")).doesNotExist();
        assertThat(tmp.resolve("escape")).doesNotExist();
        assertThat(product().resolve("1.0")).doesNotExist();
    }

    @Test
    void aTarGzKeepsTheExecutableBitAndItsFilesRun() throws Exception {
        byte[] tgz = archive().executable("bin/run.sh", "#!/bin/sh\necho ran > ran.txt\n")
                .file("README", "read me").tarGz();

        InstallOutcome outcome = new Release("1.0", 10).artifact("app.tar.gz", tgz)
                .install("app.tar.gz", List.of("./bin/run.sh"), null, null).installWith(new Installer(root()));

        assertThat(outcome.succeeded()).as(outcome.toString()).isTrue();
        Path release = product().resolve("1.0");
        assertThat(Files.isExecutable(release.resolve("bin/run.sh"))).isTrue();
        assertThat(Files.getPosixFilePermissions(release.resolve("README")))
                .noneMatch(p -> p.name().endsWith("EXECUTE"));
        assertThat(release.resolve("ran.txt")).hasContent("ran");
        assertThat(release.resolve("app.tar.gz")).doesNotExist();
    }

    @Test
    void theArchiveKindComesFromItsBytesNotItsName() throws Exception {
        byte[] zipNamedTgz = archive().executable("start", "#!/bin/sh\n").file("conf/app.conf", "a=1").zip();

        InstallOutcome outcome = new Release("1.0", 10).artifact("app.tgz", zipNamedTgz)
                .install("app.tgz", null, null, null).installWith(new Installer(root()));

        assertThat(outcome.succeeded()).as(outcome.toString()).isTrue();
        assertThat(product().resolve("1.0/conf/app.conf")).hasContent("a=1");
        assertThat(Files.isExecutable(product().resolve("1.0/start"))).isTrue();

        InstallOutcome notAnArchive = new Release("2.0", 20).artifact("app.zip", "plain text")
                .install("app.zip", null, null, null).installWith(new Installer(root()));
        assertThat(notAnArchive.reason()).isEqualTo(Reason.BAD_ARCHIVE);
    }

    @Test
    void anArchiveThatUnpacksBeyondTheLimitIsRefused() throws Exception {
        byte[] bomb = archive().file("zeros", new byte[200_000], 0644).zip();
        Installer installer = new Installer(root(), Installer.Options.DEFAULT.withMaxUnpackedBytes(100_000));

        InstallOutcome outcome = new Release("1.0", 10).artifact("app.zip", bomb)
                .install("app.zip", null, null, null).installWith(installer);

        assertThat(bomb.length).isLessThan(1000);
        assertThat(outcome.reason()).isEqualTo(Reason.BAD_ARCHIVE);
        assertThat(outcome.detail()).contains("more than 100000 bytes");
        assertThat(product().resolve("1.0")).doesNotExist();
    }

    @Test
    void aPartialFolderLeftByACrashIsRemovedByTheNextInstall() throws Exception {
        Path partial = Files.createDirectories(product().resolve(".1.0.partial-0123456789ab/deep"));
        Files.writeString(partial.resolve("half-written"), "x");
        Path incomplete = Files.createDirectories(product().resolve("0.9"));

        InstallOutcome outcome = release("1.0").installWith(new Installer(root()));

        assertThat(outcome.succeeded()).isTrue();
        assertThat(product().resolve(".1.0.partial-0123456789ab")).doesNotExist();
        assertThat(incomplete).doesNotExist();
        try (Stream<Path> left = Files.list(product())) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("1.0", "current");
        }
    }

    @Test
    void aReleaseFolderWithoutItsMarkerIsRebuiltNotTrusted() throws Exception {
        Path crashed = Files.createDirectories(product().resolve("1.0"));
        Files.writeString(crashed.resolve("tool.bin"), "half");

        InstallOutcome outcome = release("1.0").installWith(new Installer(root()));

        assertThat(outcome.succeeded()).isTrue();
        assertThat(product().resolve("1.0/tool.bin")).hasContent("tool 1.0");
        assertThat(product().resolve("1.0").resolve(Installer.MARKER)).exists();
    }

    @Test
    void anExplicitRollbackReusesTheKeptFolderWithoutRunningTheCommandAgain() throws Exception {
        Installer installer = new Installer(root());
        Path runs = tmp.resolve("runs");
        List<String> countRuns = sh("echo run >> " + runs);
        release("1.0").install(null, countRuns, null, null).installWith(installer);
        release("2.0").installWith(installer);

        InstallOutcome rollback = new Release("1.0", 30).artifact("tool.bin", "tool 1.0")
                .install(null, countRuns, null, null).installWith(installer);

        assertThat(rollback.succeeded()).as(rollback.toString()).isTrue();
        assertThat(currentTarget()).isEqualTo("1.0");
        assertThat(Files.readAllLines(runs)).hasSize(1);
        assertThat(installer.versions("editor")).containsExactly("1.0", "2.0");
    }

    @Test
    void keepingOneVersionRemovesThePreviousAfterSuccess() throws Exception {
        Installer installer = new Installer(root(), Installer.Options.DEFAULT.withKeepVersions(1));
        release("1.0").installWith(installer);

        InstallOutcome outcome = release("2.0").installWith(installer);

        assertThat(outcome.removedVersions()).containsExactly("1.0");
        assertThat(installer.versions("editor")).containsExactly("2.0");
    }

    @Test
    void aCommandThatCannotStartIsAnInstallFailure() throws Exception {
        InstallOutcome outcome = release("1.0")
                .install(null, List.of("./no-such-installer"), null, null).installWith(new Installer(root()));

        assertThat(outcome.reason()).isEqualTo(Reason.INSTALL_FAILED);
        assertThat(outcome.detail()).startsWith("install command could not start");
        assertThat(outcome.exitCode()).isNull();
        assertThat(product().resolve("1.0")).doesNotExist();
    }
}
