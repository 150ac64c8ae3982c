package io.starling.controlplane.fleet;

import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.common.Names;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Which agents a listing asks for. Every parameter is checked before any query runs, and all bad
 * ones are named in one answer.
 *
 * @param q                case-insensitive part of the hostname, or the start of the id
 * @param installedProduct agents that reported a release of this product installed
 * @param installedVersion with {@code installedProduct}: only that version
 */
public record AgentFilter(String site, List<String> labels, AgentState state, String q, String installedProduct,
        String installedVersion) {

    static final int MAX_QUERY = 255;

    public static AgentFilter of(String site, Collection<String> labels, AgentState state) {
        return new AgentFilter(site, labels == null ? List.of() : List.copyOf(labels), state, null, null, null);
    }

    /** @throws DomainException.Invalid naming every bad parameter */
    public static AgentFilter parse(String site, Collection<String> labels, String state, String q, String installed) {
        List<String> problems = new ArrayList<>();
        AgentState parsedState = null;
        if (site != null) {
            check(problems, "site", () -> Names.site(site));
        }
        if (labels != null) {
            labels.forEach(l -> check(problems, "label", () -> Names.label(l)));
        }
        if (state != null) {
            try {
                parsedState = AgentState.parse(state);
            } catch (DomainException.Invalid e) {
                problems.add(e.getMessage());
            }
        }
        String query = q == null || q.isBlank() ? null : q.strip().toLowerCase(Locale.ROOT);
        if (query != null && (query.length() > MAX_QUERY || query.codePoints().anyMatch(Character::isISOControl))) {
            problems.add("q: at most " + MAX_QUERY + " printable characters.");
        }
        String product = null;
        String version = null;
        if (installed != null) {
            int at = installed.indexOf('@');
            product = at < 0 ? installed : installed.substring(0, at);
            version = at < 0 ? null : installed.substring(at + 1);
            String p = product;
            String v = version;
            check(problems, "installed", () -> Names.product(p));
            if (v != null) {
                check(problems, "installed", () -> Names.version(v));
            }
        }
        if (!problems.isEmpty()) {
            throw new DomainException.Invalid(String.join(" ", problems));
        }
        return new AgentFilter(site, labels == null ? List.of() : List.copyOf(labels), parsedState, query, product,
                version);
    }

    private static void check(List<String> problems, String field, Runnable rule) {
        try {
            rule.run();
        } catch (DomainException.Invalid e) {
            problems.add(field + ": " + e.getMessage());
        }
    }
}
