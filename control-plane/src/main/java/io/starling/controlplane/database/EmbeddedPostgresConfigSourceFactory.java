package io.starling.controlplane.database;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Supplies {@code quarkus.datasource.jdbc.url} from an embedded PostgreSQL when none is configured.
 *
 * <p>A config source, not a bean, because Agroal, Flyway and Hibernate read the URL before any
 * bean exists. Production sets the URL and this factory stays silent.
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    private static final int ORDINAL = 150; // below system properties (400) and env (300)

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (isSet(context, "quarkus.datasource.jdbc.url")
                || "false".equalsIgnoreCase(value(context, "starling.database.embedded", "true"))
                || isAugmentation()) {
            return List.of();
        }
        Path home = Path.of(value(context, "starling.home", ".starling"));
        OptionalInt port = OptionalInt.empty();
        String configuredPort = value(context, "starling.database.embedded-port", "");
        if (!configuredPort.isBlank()) {
            port = OptionalInt.of(Integer.parseInt(configuredPort));
        }
        EmbeddedDatabase db = EmbeddedDatabase.startOnce(home.resolve("postgres"), port, true);
        return List.of(new MapBackedConfigSource("starling-embedded-postgres", Map.of(
                "quarkus.datasource.jdbc.url", db.jdbcUrl(),
                "quarkus.datasource.username", db.username(),
                "quarkus.datasource.password", db.password()), ORDINAL) {
        });
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    /**
     * The factory also runs while Quarkus builds the application ({@code mvn package}, and the
     * augmentation phase of {@code @QuarkusTest}); starting a database there would leak a server
     * per build. Deployment classes exist only on the build's class path.
     */
    private static boolean isAugmentation() {
        try {
            Class.forName("io.quarkus.deployment.QuarkusAugmentor", false,
                    EmbeddedPostgresConfigSourceFactory.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static boolean isSet(ConfigSourceContext context, String name) {
        ConfigValue v = context.getValue(name);
        return v != null && v.getValue() != null && !v.getValue().isBlank();
    }

    private static String value(ConfigSourceContext context, String name, String fallback) {
        ConfigValue v = context.getValue(name);
        return v == null || v.getValue() == null ? fallback : v.getValue();
    }
}
