package io.starling.controlplane.common;

import java.util.regex.Pattern;

/**
 * What a product, site, release version or artifact file name may look like. These names become
 * folder names on agents and URL path segments, so they must be path-safe everywhere.
 */
public final class Names {

    public static final int MAX_NAME = 64;
    public static final int MAX_VERSION = 64;
    public static final int MAX_FILE = 128;

    /** Lower-case letters, digits, dot, dash, underscore; starts with a letter or digit. */
    public static final String PRODUCT_PATTERN = "^[a-z0-9][a-z0-9._-]{0,63}$";
    /** Versions keep their case (1.2.0-RC1) and may hold '+' (semver build metadata). */
    public static final String VERSION_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$";
    public static final String FILE_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$";

    public static final String SITE_PATTERN = PRODUCT_PATTERN;
    /** Agent labels select deployment targets and show up in URLs' query strings: the product rule again. */
    public static final String LABEL_PATTERN = PRODUCT_PATTERN;
    /** Labels per agent or enrollment token; a label set is a selector, not a database. */
    public static final int MAX_LABELS = 32;
    public static final String PRODUCT_RULE = "1 to 64 characters: a-z, 0-9, '.', '_', '-', starting with a letter or digit";

    private static final Pattern PRODUCT = Pattern.compile(PRODUCT_PATTERN);
    private static final Pattern VERSION = Pattern.compile(VERSION_PATTERN);
    private static final Pattern FILE = Pattern.compile(FILE_PATTERN);

    private Names() {
    }

    public static String product(String name) {
        return check(name, PRODUCT, "product name", PRODUCT_RULE);
    }

    public static String version(String version) {
        return check(version, VERSION, "version", "1 to 64 characters: A-Z, a-z, 0-9, '.', '_', '+', '-', starting with a letter or digit");
    }

    /** Sites share the product rule: they appear in URLs, metrics labels and agent status. */
    public static String site(String name) {
        return check(name, PRODUCT, "site name", PRODUCT_RULE);
    }

    public static String label(String label) {
        return check(label, PRODUCT, "label", PRODUCT_RULE);
    }

    public static String file(String file) {
        return check(file, FILE, "file name", "1 to 128 characters: A-Z, a-z, 0-9, '.', '_', '+', '-', starting with a letter or digit");
    }

    private static String check(String value, Pattern pattern, String what, String rule) {
        if (value == null || !pattern.matcher(value).matches() || value.contains("..")) {
            throw new DomainException.Invalid("Invalid " + what + " '" + printable(value) + "': " + rule + ", and no '..'.");
        }
        return value;
    }

    /** Keeps control characters out of error messages and logs. */
    public static String printable(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        value.codePoints().limit(80).forEach(c -> {
            if (Character.isISOControl(c)) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return value.length() > 80 ? b + "…" : b.toString();
    }
}
