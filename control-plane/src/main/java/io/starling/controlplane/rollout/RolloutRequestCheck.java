package io.starling.controlplane.rollout;

import io.starling.controlplane.common.Names;
import io.starling.controlplane.common.Violations;
import io.starling.controlplane.deployment.MaintenanceWindow;
import io.starling.protocol.names.NameRules;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Checks a rollout request's cross-field and textual rules, adding one violation per bad field,
 * named by its path ({@code waves[2]}, {@code target}, {@code waveTimeout}) so that the 400 lists
 * them all next to the field annotations' own.
 */
public class RolloutRequestCheck implements ConstraintValidator<ValidRollout, RolloutRequest> {

    static final int MAX_WAVE_NAME = 64;
    /** Longer than any sensible office-hours window, short enough to be a window and not "always". */
    static final Duration MAX_WINDOW = Duration.ofDays(7);

    @Override
    public boolean isValid(RolloutRequest r, ConstraintValidatorContext context) {
        if (r == null) {
            return true;
        }
        Violations v = new Violations(context);
        if (r.target() != null) {
            String problem = selectors(r.target().sites(), r.target().labels(), r.target().agentIds(), true);
            if (problem != null) {
                v.add("target", problem);
            }
        }
        checkWaves(r.waves(), v);
        Duration timeout = duration(r.waveTimeout(), "waveTimeout", v);
        if (timeout != null && timeout.compareTo(Duration.ofMinutes(1)) < 0) {
            v.add("waveTimeout", "must be at least one minute (PT1M)");
        }
        Instant startAt = instant(r.startAt(), "startAt", v);
        Instant deadline = instant(r.deadline(), "deadline", v);
        if (deadline != null && deadline.isBefore(startAt != null ? startAt : Instant.now())) {
            v.add("deadline", startAt != null ? "must not be before startAt" : "must not be in the past");
        }
        if (r.maintenanceWindow() != null) {
            checkWindow(r.maintenanceWindow(), v);
        }
        return v.none();
    }

    private static void checkWaves(List<RolloutRequest.WaveRequest> waves, Violations v) {
        if (waves == null) {
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < waves.size(); i++) {
            String node = "waves[" + i + "]";
            RolloutRequest.WaveRequest w = waves.get(i);
            if (w == null) {
                v.add(node, "must be a wave");
                continue;
            }
            if (w.name() == null || w.name().isBlank() || w.name().length() > MAX_WAVE_NAME
                    || !w.name().equals(NameRules.printable(w.name()))) {
                v.add(node, "name: must be 1 to " + MAX_WAVE_NAME + " printable characters");
            } else if (!names.add(w.name())) {
                v.add(node, "name: another wave is called that already");
            }
            boolean last = i == waves.size() - 1;
            if (w.percent() != null && w.explicit()) {
                v.add(node, "give either percent or sites/labels/agentIds, not both");
            } else if (w.percent() == null && !w.explicit() && !last) {
                v.add(node, "give percent, or sites/labels/agentIds (only the last wave may give neither: it takes the rest)");
            }
            if (w.percent() != null && (w.percent() < 0 || w.percent() > 100)) {
                v.add(node, "percent: must be 0 to 100");
            }
            if (w.explicit()) {
                String problem = selectors(w.sites(), w.labels(), w.agentIds(), false);
                if (problem != null) {
                    v.add(node, problem);
                }
            }
            if (!percent(w.successThreshold())) {
                v.add(node, "successThreshold: must be 0 to 100");
            }
            if (!percent(w.errorThreshold())) {
                v.add(node, "errorThreshold: must be 0 to 100");
            }
        }
    }

    /** @return what is wrong with these selectors, all of it in one sentence, or null */
    private static String selectors(List<String> sites, List<String> labels, List<String> agentIds, boolean emptyMeansAll) {
        StringBuilder out = new StringBuilder();
        names(sites, "sites", Names.MAX_LABELS, s -> NameRules.isProduct(s), Names.PRODUCT_RULE, emptyMeansAll, out);
        names(labels, "labels", Names.MAX_LABELS, s -> NameRules.isProduct(s), Names.PRODUCT_RULE, emptyMeansAll, out);
        names(agentIds, "agentIds", RolloutRequest.MAX_AGENT_IDS, RolloutRequestCheck::isUuid, "agent ids (UUIDs)",
                emptyMeansAll, out);
        return out.isEmpty() ? null : out.toString();
    }

    private static void names(List<String> values, String field, int max, Predicate<String> rule, String ruleText,
            boolean emptyAllowed, StringBuilder out) {
        if (values == null) {
            return;
        }
        String problem = null;
        if (values.isEmpty() && !emptyAllowed) {
            problem = "must not be empty";
        } else if (values.size() > max) {
            problem = "must list at most " + max;
        } else {
            long bad = values.stream().filter(s -> s == null || !rule.test(s)).count();
            if (bad > 0) {
                problem = bad + " of " + values.size() + " are not " + ruleText;
            }
        }
        if (problem != null) {
            out.append(out.isEmpty() ? "" : "; ").append(field).append(": ").append(problem);
        }
    }

    private static void checkWindow(RolloutRequest.MaintenanceWindow w, Violations v) {
        if (w.cron() == null) {
            v.add("maintenanceWindow", "cron: required, e.g. \"0 22 * * 1-5\"");
        } else {
            try {
                MaintenanceWindow.validateCron(w.cron());
                if (new MaintenanceWindow(w.cron(), Duration.ofMinutes(1), ZoneOffset.UTC).openingAt(Instant.now()).isEmpty()) {
                    v.add("maintenanceWindow", "cron: never matches, so the window would never open");
                }
            } catch (IllegalArgumentException e) {
                v.add("maintenanceWindow", "cron: not a 5-field Unix cron expression (minute hour day-of-month month"
                        + " day-of-week)");
            }
        }
        if (w.duration() == null) {
            v.add("maintenanceWindow", "duration: required, e.g. \"PT4H\"");
        } else {
            Duration d = parseDuration(w.duration());
            if (d == null || d.isNegative() || d.isZero() || d.compareTo(MAX_WINDOW) > 0) {
                v.add("maintenanceWindow", "duration: must be an ISO-8601 duration from PT1M to P7D");
            }
        }
        if (w.timezone() == null) {
            v.add("maintenanceWindow", "timezone: required, e.g. \"Europe/Berlin\"");
        } else {
            try {
                ZoneId.of(w.timezone());
            } catch (DateTimeException e) {
                v.add("maintenanceWindow", "timezone: not a time zone id such as Europe/Berlin or UTC");
            }
        }
    }

    private static boolean percent(Integer p) {
        return p == null || (p >= 0 && p <= 100);
    }

    private static boolean isUuid(String s) {
        try {
            UUID.fromString(s);
            return s.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static Duration parseDuration(String text) {
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Duration duration(String text, String field, Violations v) {
        if (text == null) {
            return null;
        }
        Duration d = parseDuration(text);
        if (d == null) {
            v.add(field, "must be an ISO-8601 duration such as PT2H");
        }
        return d;
    }

    static Instant parseInstant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant instant(String text, String field, Violations v) {
        if (text == null) {
            return null;
        }
        Instant t = parseInstant(text);
        if (t == null) {
            v.add(field, "must be an ISO-8601 time with an offset, such as 2026-11-28T18:00:00Z");
        }
        return t;
    }
}
