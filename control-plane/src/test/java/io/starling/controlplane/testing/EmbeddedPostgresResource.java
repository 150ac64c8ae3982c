package io.starling.controlplane.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.starling.controlplane.database.EmbeddedDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** A fresh, real PostgreSQL for the test run: same engine as production, no Docker. */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedDatabase db;
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("starling-test-pg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        db = EmbeddedDatabase.startFresh(dir.resolve("data"));
        return Map.of("quarkus.datasource.jdbc.url", db.jdbcUrl(),
                "quarkus.datasource.username", db.username(),
                "quarkus.datasource.password", db.password());
    }

    @Override
    public void stop() {
        if (db != null) {
            db.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp folder left behind is not worth failing the build
            }
        }
    }
}
