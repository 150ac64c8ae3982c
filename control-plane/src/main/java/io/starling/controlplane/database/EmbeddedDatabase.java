package io.starling.controlplane.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One embedded PostgreSQL per JVM, kept under a data folder that survives restarts.
 *
 * <p>Used by the quick start (no datasource URL configured) and by the tests. The traps it
 * handles are in docs/platform-notes.md, "Embedded PostgreSQL": zonky turns fsync off (durable mode turns it back on), zonky's
 * own shutdown hook would stop PostgreSQL while Quarkus still uses it, and a SIGKILLed JVM
 * leaves a postmaster running on the data folder.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    private static EmbeddedDatabase instance;

    private final EmbeddedPostgres postgres;

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** Starts the database once per JVM; later calls return the running one. */
    public static synchronized EmbeddedDatabase startOnce(Path dataDir, OptionalInt port, boolean durable) {
        if (instance == null) {
            instance = start(dataDir, port, durable);
            EmbeddedDatabase started = instance;
            Thread hook = new Thread(() -> started.closeAfterApplication(), "embedded-postgres-stop");
            Runtime.getRuntime().addShutdownHook(hook);
        }
        return instance;
    }

    /** A throw-away database for tests: fsync off is fine there and saves seconds. */
    /** Whether this process started an embedded PostgreSQL (no {@code quarkus.datasource.jdbc.url} was given). */
    public static synchronized boolean running() {
        return instance != null;
    }

    public static EmbeddedDatabase startFresh(Path dataDir) {
        return start(dataDir, OptionalInt.empty(), false);
    }

    static EmbeddedDatabase start(Path dataDir, OptionalInt port, boolean durable) {
        try {
            Files.createDirectories(dataDir);
            stopLeftoverPostmaster(dataDir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60));
            if (durable) {
                builder.setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .setServerConfig("full_page_writes", "on");
            }
            builder.setServerConfig("max_connections", "100");
            port.ifPresent(builder::setPort);
            long t0 = System.nanoTime();
            EmbeddedPostgres pg = builder.start();
            LOG.infof("Embedded PostgreSQL on port %d, data in %s (%d ms)", pg.getPort(), dataDir.toAbsolutePath(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            return new EmbeddedDatabase(pg);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded PostgreSQL in " + dataDir.toAbsolutePath()
                    + ": " + e.getMessage(), e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
    }

    public String username() {
        return "postgres";
    }

    public String password() {
        return "postgres";
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warnf("Stopping the embedded PostgreSQL failed: %s", e.getMessage());
        }
    }

    /**
     * Quarkus stops in its own shutdown hook, concurrently with this one; give it time to
     * close the connection pool so that in-flight transactions commit before PostgreSQL goes.
     */
    private void closeAfterApplication() {
        Thread waiter = new Thread(() -> {
            try {
                Class<?> app = Class.forName("io.quarkus.runtime.Application");
                Object current = app.getMethod("currentApplication").invoke(null);
                if (current != null) {
                    app.getMethod("awaitShutdown").invoke(current); // returns once Quarkus has stopped
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // Not running under Quarkus: nothing to wait for.
            }
        }, "embedded-postgres-await-quarkus");
        waiter.setDaemon(true);
        waiter.start();
        try {
            waiter.join(TimeUnit.SECONDS.toMillis(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    /** A postmaster left behind by a killed JVM holds the data folder; stop it before starting. */
    private static void stopLeftoverPostmaster(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
        if (lines.isEmpty()) {
            Files.deleteIfExists(pidFile);
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).trim());
        } catch (NumberFormatException e) {
            Files.deleteIfExists(pidFile);
            return;
        }
        ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false))
                .ifPresent(p -> {
                    LOG.warnf("Stopping a PostgreSQL (pid %d) left running on %s by an earlier process", pid, dataDir);
                    p.destroy(); // SIGTERM: "smart" shutdown, then escalate
                    try {
                        p.onExit().get(15, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        p.destroyForcibly();
                    }
                });
        Files.deleteIfExists(pidFile);
    }
}
