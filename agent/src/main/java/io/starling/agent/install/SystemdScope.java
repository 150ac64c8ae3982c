package io.starling.agent.install;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs an install command in a transient systemd scope of its own ({@code systemd-run --scope}),
 * so that a timeout ends its whole cgroup: every process it started, however it forked, set up
 * sessions or cleared its environment, since no process leaves a cgroup without privileges.
 *
 * <p>Used only where that can work: the agent runs as root on a machine whose PID 1 is systemd
 * ({@code /run/systemd/system} exists, as {@code sd_booted()} checks) and {@code systemd-run} and
 * {@code systemctl} are installed. Elsewhere (containers, other init systems, a test run as a
 * user) {@link CommandRunner} falls back to {@link ProcessTreeKiller} alone. With a scope the
 * killer still runs after the cgroup is killed: it waits for the command and catches anything a
 * failed {@code systemctl kill} left.
 *
 * <p>{@code systemd-run --scope} execs the command itself, in its own folder and environment, so
 * the command sees exactly what it would see without the scope.
 */
final class SystemdScope {

    /** A unit name is this plus the run's id ({@value ProcessTreeKiller#MARKER}), then {@code .scope}. */
    static final String UNIT_PREFIX = "starling-install-";

    private static final Logger LOG = Logger.getLogger(SystemdScope.class);
    private static final Path SYSTEMD_RUNTIME = Path.of("/run/systemd/system");
    private static final long KILL_WAIT_SECONDS = 10;

    private final Path systemdRun;
    private final Path systemctl;

    SystemdScope(Path systemdRun, Path systemctl) {
        this.systemdRun = systemdRun;
        this.systemctl = systemctl;
    }

    /**
     * What decides whether a scope can be used.
     *
     * @param root           the agent runs as uid 0 (creating units needs it)
     * @param systemdBooted  PID 1 is systemd
     * @param systemdRun     the {@code systemd-run} binary, if installed
     * @param systemctl      the {@code systemctl} binary, if installed
     */
    record Host(boolean root, boolean systemdBooted, Optional<Path> systemdRun, Optional<Path> systemctl) {

        /** This machine, as the agent sees it now. */
        static Host current() {
            return new Host(runsAsRoot(), Files.isDirectory(SYSTEMD_RUNTIME), executable("systemd-run"),
                    executable("systemctl"));
        }
    }

    /** A scope where the host allows one; empty means: the process-tree fallback. */
    static Optional<SystemdScope> on(Host host) {
        if (!host.root() || !host.systemdBooted() || host.systemdRun().isEmpty() || host.systemctl().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SystemdScope(host.systemdRun().get(), host.systemctl().get()));
    }

    static String unit(String id) {
        return UNIT_PREFIX + id;
    }

    /**
     * {@code argv} run in the scope {@code starling-install-<id>}: {@code --quiet} keeps systemd's
     * own line out of the install's output, {@code --collect} unloads the unit even when the
     * command failed, {@code --} keeps the command's options its own.
     */
    List<String> command(List<String> argv, String id) {
        List<String> cmd = new ArrayList<>(List.of(systemdRun.toString(), "--scope", "--quiet", "--collect",
                "--unit", unit(id), "--"));
        cmd.addAll(argv);
        return cmd;
    }

    /** The {@code systemctl} call that kills every process in the scope at once. */
    List<String> killCommand(String id) {
        return List.of(systemctl.toString(), "kill", "--signal=SIGKILL", unit(id) + ".scope");
    }

    /** Kills the scope's cgroup; failures are logged, the caller's process-tree kill follows anyway. */
    void kill(String id) {
        List<String> cmd = killCommand(id);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                LOG.warnf("%s did not return within %d s", String.join(" ", cmd), KILL_WAIT_SECONDS);
            } else if (p.exitValue() != 0) {
                // The scope is gone already when the command exited just now: nothing left to kill.
                LOG.debugf("%s exited with %d", String.join(" ", cmd), p.exitValue());
            }
        } catch (IOException e) {
            LOG.warnf("Could not run %s: %s", String.join(" ", cmd), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "a transient systemd scope (" + systemdRun + " --scope)";
    }

    /** /proc/self belongs to the process's effective user. */
    private static boolean runsAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return false;
        }
    }

    /** Looked up in the install commands' fixed PATH, not the agent's. */
    private static Optional<Path> executable(String name) {
        for (String dir : InstallEnvironment.PATH.split(":")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
