package io.starling.controlplane.deployment;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When agents may install: a Unix cron expression (minute hour day-of-month month day-of-week, as
 * crontab reads it) says when the window opens, by the wall clock of {@code zone}, and it stays
 * open for {@code duration} of elapsed time.
 *
 * <p>Openings are found on the wall clock and only then placed in time, so that daylight saving
 * neither loses nor doubles a window: an opening in the hour a spring-forward skips (02:30 on
 * the last Sunday of March in Berlin) opens as late as the gap is long (03:30 summer time), and
 * one in the hour a fall-back repeats opens once, at its first occurrence. cron-utils, asked in
 * the zone itself, skips the first and fires the second twice.
 */
public record MaintenanceWindow(String cron, Duration duration, ZoneId zone) {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    /** Parsed expressions; few distinct ones exist, and each check-in would parse them again. */
    private static final Map<String, ExecutionTime> PARSED = new ConcurrentHashMap<>();
    private static final int MAX_PARSED = 1000;
    /** Longer than any daylight-saving shift, so that a shifted opening is never missed. */
    private static final Duration SHIFT_MARGIN = Duration.ofHours(3);

    /** A window's opening, open from {@code opensAt} (inclusive) to {@code closesAt} (exclusive). */
    public record Opening(Instant opensAt, Instant closesAt) {

        public boolean contains(Instant t) {
            return !t.isBefore(opensAt) && t.isBefore(closesAt);
        }
    }

    /** @throws IllegalArgumentException when {@code cron} is not a 5-field Unix cron expression */
    public static void validateCron(String cron) {
        executionTime(cron);
    }

    /**
     * The opening in which {@code now} lies, or else the next one; empty for a cron that never
     * matches again (the 31st of February).
     */
    public Optional<Opening> openingAt(Instant now) {
        ExecutionTime exec = executionTime(cron);
        LocalDateTime wallNow = LocalDateTime.ofInstant(now, zone);
        // The cron runs over the wall clock, read as UTC (no gaps, no repeats); only the
        // openings found are placed in the zone.
        ZonedDateTime from = wallNow.minus(duration).minus(SHIFT_MARGIN).atZone(ZoneOffset.UTC);
        ZonedDateTime until = wallNow.plus(SHIFT_MARGIN).atZone(ZoneOffset.UTC);
        Optional<ZonedDateTime> wall = exec.lastExecution(from.plusSeconds(1));
        if (wall.isEmpty()) {
            wall = exec.nextExecution(from);
        }
        Opening latestStarted = null;
        Opening earliestAhead = null;
        while (wall.isPresent()) {
            Opening o = place(wall.get().toLocalDateTime());
            if (o.opensAt().isAfter(now)) {
                if (earliestAhead == null || o.opensAt().isBefore(earliestAhead.opensAt())) {
                    earliestAhead = o;
                }
            } else if (latestStarted == null || o.opensAt().isAfter(latestStarted.opensAt())) {
                latestStarted = o;
            }
            if (wall.get().isAfter(until) && earliestAhead != null) {
                break;
            }
            wall = exec.nextExecution(wall.get());
        }
        // Every opening lasts as long: the one that started last closes last.
        if (latestStarted != null && latestStarted.contains(now)) {
            return Optional.of(latestStarted);
        }
        return Optional.ofNullable(earliestAhead);
    }

    /** A gap shifts the time later by the gap's length; an overlap takes the earlier offset. */
    private Opening place(LocalDateTime wallTime) {
        Instant opens = ZonedDateTime.ofLocal(wallTime, zone, null).toInstant();
        return new Opening(opens, opens.plus(duration));
    }

    private static ExecutionTime executionTime(String cron) {
        ExecutionTime known = PARSED.get(cron);
        if (known != null) {
            return known;
        }
        com.cronutils.model.Cron parsed = UNIX.parse(cron);
        parsed.validate();
        ExecutionTime exec = ExecutionTime.forCron(parsed);
        if (PARSED.size() >= MAX_PARSED) {
            PARSED.clear();
        }
        PARSED.put(cron, exec);
        return exec;
    }
}
