package io.starling.agent.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which way an install command is contained, and the systemd calls made for it. No test machine runs
 * systemd as PID 1, so the scope itself is played by two small scripts standing in for
 * {@code systemd-run} and {@code systemctl}; the fallback is what {@code InstallerTest} runs for real.
 */
class SystemdScopeTest {

    private static final Optional<Path> RUN = Optional.of(Path.of("/usr/bin/systemd-run"));
    private static final Optional<Path> CTL = Optional.of(Path.of("/usr/bin/systemctl"));

    @TempDir
    Path tmp;

    @Test
    void anAgentRunningAsRootUnderSystemdInstallsInAScope() {
        assertThat(SystemdScope.on(new SystemdScope.Host(true, true, RUN, CTL))).isPresent();
    }

    @Test
    void withoutRootSystemdOrItsToolsTheProcessTreeFallbackIsUsed() {
        assertThat(SystemdScope.on(new SystemdScope.Host(false, true, RUN, CTL))).as("not root").isEmpty();
        assertThat(SystemdScope.on(new SystemdScope.Host(true, false, RUN, CTL))).as("PID 1 is not systemd").isEmpty();
        assertThat(SystemdScope.on(new SystemdScope.Host(true, true, Optional.empty(), CTL))).as("no systemd-run").isEmpty();
        assertThat(SystemdScope.on(new SystemdScope.Host(true, true, RUN, Optional.empty()))).as("no systemctl").isEmpty();
    }

    @Test
    void theCommandRunsInATransientScopeNamedForItsRunAndKeepsItsOwnOptions() {
        SystemdScope scope = SystemdScope.on(new SystemdScope.Host(true, true, RUN, CTL)).orElseThrow();
        assertThat(scope.command(List.of("./install.sh", "--quiet"), "3f9a"))
                .containsExactly("/usr/bin/systemd-run", "--scope", "--quiet", "--collect", "--unit",
                        "starling-install-3f9a", "--", "./install.sh", "--quiet");
        assertThat(scope.killCommand("3f9a"))
                .containsExactly("/usr/bin/systemctl", "kill", "--signal=SIGKILL", "starling-install-3f9a.scope");
    }

    @Test
    void aCommandInAScopeSeesItsFolderAndEnvironmentAndItsExitCodeCounts() throws Exception {
        Path log = tmp.resolve("calls.log");
        SystemdScope scope = fakeSystemd(log);
        Path release = Files.createDirectories(tmp.resolve("release"));

        CommandRunner.Result result = CommandRunner.run("install command",
                List.of("sh", "-c", "pwd; echo \"$STARLING_PRODUCT\"; exit 3"), release,
                Map.of("PATH", InstallEnvironment.PATH, "STARLING_PRODUCT", "editor"), Duration.ofSeconds(30),
                Optional.of(scope));

        assertThat(result.output()).containsExactly(release.toRealPath().toString(), "editor");
        assertThat(result.failure()).isEqualTo("install command exited with 3");
        assertThat(Files.readString(log)).startsWith("systemd-run --scope --quiet --collect --unit starling-install-");
    }

    @Test
    void aTimedOutCommandInAScopeHasItsWholeScopeKilled() throws Exception {
        Path log = tmp.resolve("calls.log");
        SystemdScope scope = fakeSystemd(log);

        CommandRunner.Result result = CommandRunner.run("install command", List.of("sleep", "1000"), tmp,
                Map.of("PATH", InstallEnvironment.PATH), Duration.ofSeconds(1), Optional.of(scope));

        assertThat(result.failure()).isEqualTo("install command timed out after 1 s");
        List<String> calls = Files.readAllLines(log);
        String unit = calls.get(0).split(" ")[5];
        assertThat(unit).startsWith(SystemdScope.UNIT_PREFIX);
        assertThat(calls).contains("systemctl kill --signal=SIGKILL " + unit + ".scope");
    }

    /** systemd-run that logs its arguments and execs what follows {@code --}; systemctl that logs its own. */
    private SystemdScope fakeSystemd(Path log) throws Exception {
        Path run = script("systemd-run", "echo \"systemd-run $*\" >> '" + log + "'\n"
                + "while [ \"$1\" != -- ]; do shift; done\nshift\nexec \"$@\"\n");
        Path ctl = script("systemctl", "echo \"systemctl $*\" >> '" + log + "'\n");
        return SystemdScope.on(new SystemdScope.Host(true, true, Optional.of(run), Optional.of(ctl))).orElseThrow();
    }

    private Path script(String name, String body) throws Exception {
        Path file = Files.createDirectories(tmp.resolve("bin")).resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
