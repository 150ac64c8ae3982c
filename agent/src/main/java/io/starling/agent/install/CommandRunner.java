package io.starling.agent.install;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs one install command or health check: an argv, never a shell, in a given folder, with a
 * deadline after which everything it started is killed, daemons included: its transient systemd
 * scope's cgroup where the agent runs as root under systemd ({@link SystemdScope}), and in any case
 * its process tree and every process carrying its marker ({@link ProcessTreeKiller}).
 * The command gets exactly the given environment plus its {@value ProcessTreeKiller#MARKER}, never
 * the agent's own (which holds its settings). Output (stdout and stderr merged) is kept as an
 * {@link OutputTail}.
 */
final class CommandRunner {

    static final int MAX_LINES = 50;
    static final int MAX_LINE_LENGTH = 1000;

    /**
     * How long to wait for the output after the command exited. A command that leaves a process
     * running in the background (a service it started) passes its stdout on to it, and that
     * stream then never ends; waiting for it would hang the install.
     */
    private static final long OUTPUT_GRACE_MILLIS = 1000;

    private static final Logger LOG = Logger.getLogger(CommandRunner.class);

    /** Decided once: whether this machine runs install commands in systemd scopes. */
    private static final class Containment {
        static final Optional<SystemdScope> SCOPE = chosen();

        private static Optional<SystemdScope> chosen() {
            Optional<SystemdScope> scope = SystemdScope.on(SystemdScope.Host.current());
            LOG.infof("Install commands run %s", scope.map(SystemdScope::toString).orElse(
                    "as the agent's children, killed by process tree and marker (no systemd scope: not root, or no systemd)"));
            return scope;
        }
    }

    /**
     * @param exitCode    null if the command did not start or did not exit in time
     * @param failure     null if the command ran and exited 0; else one line saying what went wrong
     */
    record Result(Integer exitCode, String failure, List<String> output) {
        boolean ok() {
            return failure == null;
        }
    }

    private CommandRunner() {
    }

    /** @param what how the command is called in messages, e.g. "install command" */
    static Result run(String what, List<String> argv, Path dir, Map<String, String> environment, Duration timeout) {
        return run(what, argv, dir, environment, timeout, Containment.SCOPE);
    }

    /** @param scope where to run it; empty: as a child of the agent */
    static Result run(String what, List<String> argv, Path dir, Map<String, String> environment, Duration timeout,
            Optional<SystemdScope> scope) {
        String marker = UUID.randomUUID().toString();
        List<String> command = scope.map(s -> s.command(argv, marker)).orElse(argv);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(environment);
        builder.environment().put(ProcessTreeKiller.MARKER, marker);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Result(null, what + " could not start: " + e.getMessage(), List.of());
        }
        OutputTail tail = new OutputTail(MAX_LINES, MAX_LINE_LENGTH);
        Thread reader = new Thread(() -> tail.consume(process.getInputStream()), "install-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        try {
            // Nothing is ever typed into an install: a command that asks gets end-of-file, not a hang.
            process.getOutputStream().close();
        } catch (IOException e) {
            // already gone
        }

        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process, marker, scope);
                reader.join(OUTPUT_GRACE_MILLIS);
                return new Result(null, what + " timed out after " + timeout.toSeconds() + " s", tail.lines());
            }
            reader.join(OUTPUT_GRACE_MILLIS);
        } catch (InterruptedException e) {
            // The agent is shutting down: leave nothing of this install running behind it.
            kill(process, marker, scope);
            Thread.currentThread().interrupt();
            return new Result(null, what + " was interrupted", tail.lines());
        }
        int exit = process.exitValue();
        String failure = exit == 0 ? null : what + " exited with " + exit;
        return new Result(exit, failure, tail.lines());
    }

    private static void kill(Process process, String marker, Optional<SystemdScope> scope) {
        scope.ifPresent(s -> s.kill(marker));
        ProcessTreeKiller.kill(process, marker);
    }
}
