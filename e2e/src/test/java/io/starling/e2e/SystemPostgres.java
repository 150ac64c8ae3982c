package io.starling.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Debian's PostgreSQL (the {@code postgresql} package) in a temporary folder on a free port, as
 * an external database the control planes share. {@code initdb} refuses to run as root: as root,
 * the folder belongs to the {@code postgres} user and the server runs as it ({@code runuser}).
 */
final class SystemPostgres implements AutoCloseable {

    private final Path bin;
    private final Path dir;
    private final int port;
    private final List<String> asOwner;

    private SystemPostgres(Path bin, Path dir, int port, List<String> asOwner) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asOwner = asOwner;
    }

    /** The newest installed major's binaries, if any. */
    static Optional<Path> binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> majors = Files.list(root)) {
            return majors.map(m -> m.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(Path::toString));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether this process can run the server: as itself, or (as root) as the {@code postgres} user. */
    static Optional<String> whyNot() {
        if (binaries().isEmpty()) {
            return Optional.of("PostgreSQL's server binaries are not installed (apt-get install -y postgresql)");
        }
        if (isRoot() && !Files.isExecutable(Path.of("/usr/sbin/runuser"))) {
            return Optional.of("running as root without runuser, and initdb refuses root");
        }
        return Optional.empty();
    }

    /** In a temporary folder of its own: the test's work folder is private to root, and the server runs as postgres. */
    static SystemPostgres start() throws IOException, InterruptedException {
        Path bin = binaries().orElseThrow();
        Path dir = Files.createTempDirectory("starling-postgres");
        Path work = dir.getParent();
        List<String> asOwner = new ArrayList<>();
        if (isRoot()) {
            Processes.run(work, Duration.ofSeconds(10), "chown", "-R", "postgres:postgres", dir.toString());
            asOwner.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        SystemPostgres pg = new SystemPostgres(bin, dir, port, asOwner);
        pg.run("initdb", "-D", dir.resolve("data").toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                "--no-sync");
        pg.run("pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("server.log").toString(), "-w",
                "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
                "start");
        return pg;
    }

    private void run(String tool, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(asOwner);
        cmd.add(bin.resolve(tool).toString());
        cmd.addAll(List.of(args));
        Processes.Result r = Processes.exec(dir, Map.of(), Duration.ofSeconds(60), cmd);
        if (r.exitCode() != 0) {
            throw new IllegalStateException(tool + " failed (" + r.exitCode() + "): " + r.output());
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** The settings a control plane needs to use it, as JVM options. */
    List<String> controlPlaneSettings() {
        return List.of("-Dquarkus.datasource.jdbc.url=" + jdbcUrl(), "-Dquarkus.datasource.username=postgres",
                "-Dquarkus.datasource.password=unused");
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            run("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        } finally {
            Processes.run(dir.getParent(), Duration.ofSeconds(30), "rm", "-rf", dir.toString());
        }
    }
}
