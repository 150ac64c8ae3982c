package io.starling.controlplane.seed;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One satisfiable byte range of a representation (RFC 9110 §14). Web seeds (BEP 19) ask for
 * single ranges; anything else is answered with the whole file, which the RFC allows.
 */
public record ByteRange(long first, long last) {

    private static final Pattern SINGLE = Pattern.compile("^bytes=\\s*(\\d{0,19})\\s*-\\s*(\\d{0,19})\\s*$");

    public long length() {
        return last - first + 1;
    }

    /** What to do with a Range header against a file of {@code size} bytes. */
    public sealed interface Decision permits Whole, Partial, Unsatisfiable {
    }

    public record Whole() implements Decision {
    }

    public record Partial(ByteRange range) implements Decision {
    }

    public record Unsatisfiable() implements Decision {
    }

    public static Decision decide(String header, long size) {
        if (header == null || header.isBlank()) {
            return new Whole();
        }
        Matcher m = SINGLE.matcher(header);
        if (!m.matches()) {
            // Multiple ranges or another unit: ignoring Range is always allowed (RFC 9110 §14.2).
            return new Whole();
        }
        Optional<Long> first = number(m.group(1));
        Optional<Long> last = number(m.group(2));
        if (first.isEmpty() && last.isEmpty()) {
            return new Whole();
        }
        if (first.isEmpty()) { // suffix: the last N bytes
            long n = last.get();
            if (n == 0) {
                return new Unsatisfiable();
            }
            return new Partial(new ByteRange(Math.max(0, size - n), size - 1));
        }
        long from = first.get();
        if (from >= size) {
            return new Unsatisfiable();
        }
        long to = last.map(l -> Math.min(l, size - 1)).orElse(size - 1);
        if (to < from) {
            return new Whole(); // syntactically invalid: ignore the header
        }
        return new Partial(new ByteRange(from, to));
    }

    private static Optional<Long> number(String digits) {
        if (digits.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(digits));
        } catch (NumberFormatException e) {
            return Optional.of(Long.MAX_VALUE);
        }
    }
}
