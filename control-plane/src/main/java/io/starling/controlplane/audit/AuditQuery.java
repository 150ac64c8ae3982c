package io.starling.controlplane.audit;

import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.common.Names;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which audit entries a reader asks for, newest first. Every parameter is checked before the query
 * runs and all bad ones are named in one answer.
 *
 * @param action the HTTP method (POST, PUT, DELETE, PATCH) or AUDIT
 * @param from   entries at or after it
 * @param to     entries before it
 * @param before entries with a smaller id: the id of the last entry of the previous page
 */
public record AuditQuery(String actor, String action, Instant from, Instant to, Long before, int limit) {

    private static final Pattern ACTION = Pattern.compile("[A-Za-z]{1,16}");

    /** @throws DomainException.Invalid naming every bad parameter */
    public static AuditQuery parse(String actor, String action, String from, String to, String before, int limit) {
        List<String> problems = new ArrayList<>();
        if (action != null && !ACTION.matcher(action).matches()) {
            problems.add("action: '" + Names.printable(action) + "' is not an HTTP method such as POST or DELETE.");
        }
        Instant start = instant("from", from, problems);
        Instant end = instant("to", to, problems);
        if (start != null && end != null && !start.isBefore(end)) {
            problems.add("to: must be after from.");
        }
        Long cursor = null;
        if (before != null) {
            try {
                cursor = Long.parseLong(before);
            } catch (NumberFormatException e) {
                problems.add("before: '" + Names.printable(before) + "' is not an entry id.");
            }
        }
        if (!problems.isEmpty()) {
            throw new DomainException.Invalid(String.join(" ", problems));
        }
        return new AuditQuery(actor == null || actor.isEmpty() ? null : actor,
                action == null ? null : action.toUpperCase(Locale.ROOT), start, end, cursor, limit);
    }

    private static Instant instant(String field, String text, List<String> problems) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            problems.add(field + ": '" + Names.printable(text)
                    + "' must be an ISO-8601 time with an offset, such as 2026-11-28T18:00:00Z.");
            return null;
        }
    }
}
