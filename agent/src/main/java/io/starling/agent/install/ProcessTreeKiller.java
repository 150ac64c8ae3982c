package io.starling.agent.install;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Kills an install command and everything it started, daemons included.
 *
 * <p>Walking the command's descendants is not enough: a child that double-forks (a daemon, or
 * {@code (setsid x &)}) is re-parented to init and is no longer anyone's descendant, and a
 * child that calls {@code setsid} leaves the command's process group, so killing the group
 * misses it too. What every such process still carries is its environment as it was at exec:
 * {@link CommandRunner} starts each command with a unique {@value #MARKER} and this class kills
 * every process whose {@code /proc/<pid>/environ} holds it (the agent runs as root and may read
 * them all), plus the command's descendants, round after round until none is left, so that
 * processes forked while a round ran are caught by the next.
 *
 * <p>Escapes only a process that was exec'd with a cleared environment ({@code env -i}); under
 * systemd the unit's {@code KillMode=control-group} still ends those when the agent stops.
 */
final class ProcessTreeKiller {

    /** The environment variable naming one run of one command. */
    static final String MARKER = "STARLING_INSTALL_ID";

    private static final Logger LOG = Logger.getLogger(ProcessTreeKiller.class);
    private static final Path PROC = Path.of("/proc");
    private static final int MAX_ROUNDS = 20;
    private static final long ROUND_PAUSE_MILLIS = 50;
    private static final long KILL_WAIT_SECONDS = 10;

    private ProcessTreeKiller() {
    }

    /** @param marker the value of {@value #MARKER} the command was started with */
    static void kill(Process process, String marker) {
        byte[] entry = (MARKER + "=" + marker).getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            Set<ProcessHandle> found = new LinkedHashSet<>();
            if (process.isAlive()) {
                found.add(process.toHandle());
            }
            // Listed before the command dies: its children then belong to init.
            process.descendants().filter(ProcessHandle::isAlive).forEach(found::add);
            found.addAll(marked(entry, self));
            if (found.isEmpty()) {
                break;
            }
            found.forEach(ProcessHandle::destroyForcibly);
            if (round == MAX_ROUNDS - 1) {
                LOG.warnf("Processes of a timed-out install command still ran after %d rounds of kills: %s",
                        MAX_ROUNDS, found.stream().map(ProcessHandle::pid).toList());
            }
            pause();
        }
        try {
            process.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Live processes whose environment holds {@code entry}; empty where there is no /proc. */
    private static List<ProcessHandle> marked(byte[] entry, long self) {
        List<ProcessHandle> found = new ArrayList<>();
        if (!Files.isDirectory(PROC)) {
            return found;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, p -> isPid(p.getFileName().toString()))) {
            for (Path dir : entries) {
                long pid = Long.parseLong(dir.getFileName().toString());
                if (pid != self && holds(dir.resolve("environ"), entry)) {
                    ProcessHandle.of(pid).ifPresent(found::add);
                }
            }
        } catch (IOException e) {
            LOG.debugf(e, "Could not list %s", PROC);
        }
        return found;
    }

    /** A zombie's environ reads empty, so the dead are never matched. */
    private static boolean holds(Path environ, byte[] entry) {
        byte[] env;
        try {
            env = Files.readAllBytes(environ);
        } catch (IOException | SecurityException e) {
            return false; // gone meanwhile, or not ours to read
        }
        int start = 0;
        for (int i = 0; i <= env.length; i++) {
            if (i == env.length || env[i] == 0) {
                if (i - start == entry.length && Arrays.equals(env, start, i, entry, 0, entry.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static void pause() {
        try {
            Thread.sleep(ROUND_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            // Keep killing: the interrupt is restored after the last round.
            Thread.currentThread().interrupt();
        }
    }
}
