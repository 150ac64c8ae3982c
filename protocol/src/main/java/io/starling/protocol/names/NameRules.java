package io.starling.protocol.names;

import java.util.regex.Pattern;

/**
 * What a product, site, label, release version, artifact file name and deployment id may look
 * like, for both sides of the contract. These names become folder names on agents and URL path
 * segments: the control plane refuses anything else when it is created, and the agent refuses
 * anything else when it arrives unsigned in a check-in answer or is read back from its own state.
 */
public final class NameRules {

    /** Lower-case letters, digits, dot, dash, underscore; starts with a letter or digit. */
    public static final String PRODUCT_PATTERN = "^[a-z0-9][a-z0-9._-]{0,63}$";
    /** Versions keep their case (1.2.0-RC1) and may hold '+' (semver build metadata). */
    public static final String VERSION_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$";
    public static final String FILE_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$";

    public static final String PRODUCT_RULE = "1 to 64 characters: a-z, 0-9, '.', '_', '-', starting with a letter or digit";
    public static final String VERSION_RULE = "1 to 64 characters: A-Z, a-z, 0-9, '.', '_', '+', '-', starting with a letter or digit";
    public static final String FILE_RULE = "1 to 128 characters: A-Z, a-z, 0-9, '.', '_', '+', '-', starting with a letter or digit";
    /** Appended to every rule above when a name is refused. */
    public static final String NO_DOTDOT = "no '..'";
    public static final String ID_RULE = "a UUID in its canonical form (8-4-4-4-12 lower-case hex digits)";

    private static final Pattern PRODUCT = Pattern.compile(PRODUCT_PATTERN);
    private static final Pattern VERSION = Pattern.compile(VERSION_PATTERN);
    private static final Pattern FILE = Pattern.compile(FILE_PATTERN);
    // Strict on purpose: UUID.fromString also takes "1-2-3-4-5", and two spellings of one id
    // would be two journal entries and two folders.
    private static final Pattern ID = Pattern.compile("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$");
    private static final int PRINTABLE_LIMIT = 80;

    private NameRules() {
    }

    /** Products; sites and labels follow the same rule. */
    public static boolean isProduct(String name) {
        return matches(name, PRODUCT);
    }

    public static boolean isVersion(String version) {
        return matches(version, VERSION);
    }

    public static boolean isFile(String file) {
        return matches(file, FILE);
    }

    /** Deployment, agent and release ids. */
    public static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    // ".." anywhere, not only as a whole segment: no reader has to wonder how "a..b" resolves.
    private static boolean matches(String value, Pattern pattern) {
        return value != null && pattern.matcher(value).matches() && !value.contains("..");
    }

    /**
     * {@code value} made safe to put in an error message or a log line: control characters
     * escaped (no forged log lines), at most 80 code points.
     */
    public static String printable(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        value.codePoints().limit(PRINTABLE_LIMIT).forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return value.length() > PRINTABLE_LIMIT ? b + "…" : b.toString();
    }
}
