package io.starling.controlplane.common;

import io.starling.protocol.names.NameRules;
import java.util.function.Predicate;

/**
 * The control plane's side of {@link NameRules}: the same rules (agents hold every name they are
 * sent to them too), refused with {@link DomainException.Invalid} and a message that says the rule.
 */
public final class Names {

    public static final String PRODUCT_PATTERN = NameRules.PRODUCT_PATTERN;
    public static final String VERSION_PATTERN = NameRules.VERSION_PATTERN;

    public static final String SITE_PATTERN = PRODUCT_PATTERN;
    /** Agent labels select deployment targets and show up in URLs' query strings: the product rule again. */
    public static final String LABEL_PATTERN = PRODUCT_PATTERN;
    /** Labels per agent or enrollment token; a label set is a selector, not a database. */
    public static final int MAX_LABELS = 32;
    public static final String PRODUCT_RULE = NameRules.PRODUCT_RULE;
    public static final String VERSION_RULE = NameRules.VERSION_RULE;

    private Names() {
    }

    public static String product(String name) {
        return check(name, NameRules::isProduct, "product name", PRODUCT_RULE);
    }

    public static String version(String version) {
        return check(version, NameRules::isVersion, "version", VERSION_RULE);
    }

    /** Sites share the product rule: they appear in URLs, metrics labels and agent status. */
    public static String site(String name) {
        return check(name, NameRules::isProduct, "site name", PRODUCT_RULE);
    }

    public static String label(String label) {
        return check(label, NameRules::isProduct, "label", PRODUCT_RULE);
    }

    public static String file(String file) {
        return check(file, NameRules::isFile, "file name", NameRules.FILE_RULE);
    }

    private static String check(String value, Predicate<String> rule, String what, String ruleText) {
        if (!rule.test(value)) {
            throw new DomainException.Invalid("Invalid " + what + " '" + printable(value) + "': " + ruleText + ", and "
                    + NameRules.NO_DOTDOT + ".");
        }
        return value;
    }

    /** Keeps control characters out of error messages and logs. */
    public static String printable(String value) {
        return NameRules.printable(value);
    }
}
