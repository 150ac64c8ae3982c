package io.starling.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

public final class Processes {

    private Processes() {
    }

    /** How a command ended: its exit code and its output (stdout and stderr together). */
    public record Result(int exitCode, String output) {
    }

    /** Runs a command to completion; fails with its output when it fails or hangs. */
    public static String run(Path dir, Duration timeout, String... command) throws IOException, InterruptedException {
        Result r = exec(dir, Map.of(), timeout, List.of(command));
        if (r.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + r.exitCode() + ":\n" + r.output());
        }
        return r.output();
    }

    /**
     * Runs a command to completion with extra environment; fails only when it hangs. Output goes to
     * a file, not a pipe read to its end, so a command that hangs (or leaves a child holding the
     * pipe) fails the test after {@code timeout} instead of blocking the build.
     */
    public static Result exec(Path dir, Map<String, String> env, Duration timeout, List<String> command)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("starling-e2e", ".out");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).redirectInput(new File("/dev/null"));
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout + ":\n"
                        + read(out));
            }
            return new Result(p.exitValue(), read(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
