package io.starling.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Renders a Kustomize folder offline with whatever the machine has: {@code kubectl kustomize}
 * (Kustomize 2.0.3 in Debian's kubectl 1.20, 5.x in a current one) or a standalone
 * {@code kustomize build}. The manifests are written for the oldest of them (base/kustomization.yaml).
 * Never {@code kubectl apply}, not even with {@code --dry-run=client}: without a kubeconfig it
 * calls 127.0.0.1:8080.
 *
 * <p>{@code -Dstarling.kubectl=/path/to/kubectl} (or env {@code STARLING_KUBECTL}) picks a
 * kubectl, e.g. Debian's 1.20 unpacked somewhere to check the old Kustomize.
 */
final class Kustomize {

    /** A command that renders, and what it is (name and version), for the test log. */
    record Renderer(List<String> command, String description) {
    }

    private static final Map<Path, String> RENDERED = new ConcurrentHashMap<>();
    private static volatile Optional<Renderer> found;

    private Kustomize() {
    }

    /** The renderer this machine has, or empty when it has neither kubectl nor kustomize. */
    static Optional<Renderer> renderer() {
        Optional<Renderer> r = found;
        if (r == null) {
            r = find();
            found = r;
            System.out.println("k8s: rendering with " + r.map(Renderer::description).orElse("nothing (no kubectl, no kustomize)"));
        }
        return r;
    }

    private static Optional<Renderer> find() {
        String chosen = Optional.ofNullable(System.getProperty("starling.kubectl")).filter(s -> !s.isBlank())
                .orElse(System.getenv("STARLING_KUBECTL"));
        if (chosen != null && !chosen.isBlank()) {
            return kubectl(chosen).or(() -> {
                throw new IllegalStateException("starling.kubectl / STARLING_KUBECTL names " + chosen + ", which does not run");
            });
        }
        return kubectl("kubectl").or(() -> standalone("kustomize"));
    }

    private static Optional<Renderer> kubectl(String executable) {
        return run(List.of(executable, "version", "--client")).map(out -> new Renderer(
                List.of(executable, "kustomize"), executable + " kustomize (" + oneLine(out) + ")"));
    }

    private static Optional<Renderer> standalone(String executable) {
        return run(List.of(executable, "version")).map(out -> new Renderer(
                List.of(executable, "build"), executable + " build (" + oneLine(out) + ")"));
    }

    private static String oneLine(String out) {
        return out.strip().replaceAll("\\s*\\n\\s*", "; ");
    }

    /** The output of a command that exited 0, or empty if it is missing or failed. */
    private static Optional<String> run(List<String> command) {
        try {
            Result result = exec(command, Path.of("."));
            return result.exit() == 0 ? Optional.of(result.stdout()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The rendered YAML of a Kustomize folder; fails with the renderer's own message. */
    static String render(Path folder) {
        Renderer renderer = renderer().orElseThrow(() -> new IllegalStateException("no renderer"));
        return RENDERED.computeIfAbsent(folder.toAbsolutePath().normalize(), dir -> {
            List<String> command = new ArrayList<>(renderer.command());
            command.add(dir.toString());
            try {
                Result result = exec(command, dir);
                if (result.exit() != 0) {
                    throw new AssertionError(String.join(" ", command) + " failed (" + result.exit() + "): " + result.stderr());
                }
                return result.stdout();
            } catch (IOException e) {
                throw new AssertionError(String.join(" ", command) + " could not run: " + e, e);
            }
        });
    }

    private record Result(int exit, String stdout, String stderr) {
    }

    private static Result exec(List<String> command, Path dir) throws IOException {
        Path out = Files.createTempFile("kustomize", ".out");
        Path err = Files.createTempFile("kustomize", ".err");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within 60 s");
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
