package io.starling.k8s;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the control plane's own source says about its configuration: application.properties and
 * the {@code @ConfigMapping} interfaces. The manifests are checked against it, so that a renamed
 * setting or a moved health endpoint fails here, not in a cluster.
 */
final class ControlPlaneConfig {

    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Path SOURCES = REPO.resolve("control-plane/src/main/java");
    private static final Pattern MAPPING = Pattern.compile("@ConfigMapping\\(prefix = \"([^\"]+)\"\\)");
    /** A method of a mapping interface: a setting, or a group whose type is declared in the same file. */
    private static final Pattern METHOD = Pattern.compile("^\\s+([\\w.<>, ]+?)\\s+(\\w+)\\(\\);", Pattern.MULTILINE);
    private static final Pattern NESTED = Pattern.compile("interface\\s+(\\w+)\\s*\\{");
    private static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

    final Properties properties;
    /** Every setting name the mappings declare, e.g. {@code starling.seed.listen-interface}. */
    final Set<String> mappedProperties;
    /** Environment variables application.properties reads itself, e.g. {@code STARLING_OIDC_URL}. */
    final Set<String> placeholderVariables;

    private ControlPlaneConfig(Properties properties, Set<String> mappedProperties, Set<String> placeholderVariables) {
        this.properties = properties;
        this.mappedProperties = mappedProperties;
        this.placeholderVariables = placeholderVariables;
    }

    static ControlPlaneConfig read() {
        try {
            Path file = REPO.resolve("control-plane/src/main/resources/application.properties");
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            }
            Set<String> variables = new HashSet<>();
            Matcher placeholder = ENV_PLACEHOLDER.matcher(Files.readString(file));
            while (placeholder.find()) {
                variables.add(placeholder.group(1));
            }
            Set<String> mapped = new HashSet<>();
            List<Path> sources;
            try (Stream<Path> files = Files.walk(SOURCES)) {
                sources = files.filter(f -> f.toString().endsWith(".java")).toList();
            }
            for (Path source : sources) {
                mapped.addAll(settingsOf(Files.readString(source)));
            }
            return new ControlPlaneConfig(properties, Set.copyOf(mapped), Set.copyOf(variables));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The settings a {@code @ConfigMapping} interface declares; none for any other source. */
    static Set<String> settingsOf(String source) {
        Set<String> settings = new HashSet<>();
        Matcher mapping = MAPPING.matcher(source);
        if (mapping.find()) {
            collect(source, mapping.group(1), source.indexOf('{', mapping.end()), settings);
        }
        return settings;
    }

    /** The settings of the interface body starting at {@code open}, nested groups included. */
    private static void collect(String text, String prefix, int open, Set<String> into) {
        String body = body(text, open);
        String own = body.replaceAll("(?s)interface\\s+\\w+\\s*\\{.*", "");
        own = own.replaceAll("(?s)enum\\s+\\w+\\s*\\{[^}]*}", "");
        Matcher method = METHOD.matcher(own);
        while (method.find()) {
            String type = method.group(1).trim();
            String name = prefix + "." + kebab(method.group(2));
            Matcher nested = NESTED.matcher(text);
            boolean group = false;
            while (nested.find()) {
                if (nested.group(1).equals(type)) {
                    collect(text, name, nested.end() - 1, into);
                    group = true;
                }
            }
            if (!group) {
                into.add(name);
            }
        }
    }

    private static String body(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return text.substring(open + 1, i);
            }
        }
        throw new IllegalStateException("unbalanced braces");
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** The variable SmallRye reads a setting from: {@code starling.seed.listen-interface} → {@code STARLING_SEED_LISTEN_INTERFACE}. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    boolean knowsStarlingVariable(String variable) {
        return placeholderVariables.contains(variable)
                || mappedProperties.stream().anyMatch(p -> environmentName(p).equals(variable));
    }

    boolean hasMapping(String prefix) {
        return mappedProperties.stream().anyMatch(p -> p.startsWith(prefix + "."));
    }

    String property(String key, String otherwise) {
        return properties.getProperty(key, otherwise);
    }
}
