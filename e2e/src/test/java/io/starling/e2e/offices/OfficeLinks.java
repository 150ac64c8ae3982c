package io.starling.e2e.offices;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The link rates of one office benchmark, in bits per second, as the simulator shapes them with tc.
 * Every site gets the same WAN link and every agent the same LAN link, so one record describes the
 * whole topology.
 *
 * @param originUpBitsPerSecond  what the origin (seeder + web seed) can send in total
 * @param wanDownBitsPerSecond   what one site can receive from outside, shared by its agents
 * @param wanUpBitsPerSecond     what one site can send to the outside
 * @param agentDownBitsPerSecond what one agent can receive
 * @param agentUpBitsPerSecond   what one agent can send
 */
public record OfficeLinks(long originUpBitsPerSecond, long wanDownBitsPerSecond, long wanUpBitsPerSecond,
                          long agentDownBitsPerSecond, long agentUpBitsPerSecond) {

    private static final String ACCEPTED = "digits (bit/s) or digits followed by kbit, mbit or gbit, e.g. 20mbit";

    // tc's units: decimal multiples of bits. "mb" would be megabytes to tc, which is why it is refused.
    private static final Pattern RATE = Pattern.compile("([0-9]+)(kbit|mbit|gbit)?", Pattern.CASE_INSENSITIVE);

    public OfficeLinks {
        // The lower bound divides by every rate; a zero would turn it into Infinity far from the cause.
        positive("origin up", originUpBitsPerSecond);
        positive("WAN down", wanDownBitsPerSecond);
        positive("WAN up", wanUpBitsPerSecond);
        positive("agent down", agentDownBitsPerSecond);
        positive("agent up", agentUpBitsPerSecond);
    }

    /** Parses a tc-style rate ({@code 20mbit}, {@code 1gbit}, {@code 500kbit}, {@code 8000}) into bits per second. */
    public static long parseRate(String rate) {
        Matcher m = rate == null ? null : RATE.matcher(rate);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("bad rate '" + rate + "': expected " + ACCEPTED);
        }
        long multiplier = switch (m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT)) {
            case "kbit" -> 1_000L;
            case "mbit" -> 1_000_000L;
            case "gbit" -> 1_000_000_000L;
            default -> 1L;
        };
        try {
            long bits = Math.multiplyExact(Long.parseLong(m.group(1)), multiplier);
            if (bits <= 0) {
                throw new IllegalArgumentException("bad rate '" + rate + "': must be above zero; expected " + ACCEPTED);
            }
            return bits;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("bad rate '" + rate + "': too large; expected " + ACCEPTED);
        }
    }

    /** Human form for reports: {@code 20 Mbit/s}, {@code 1 Gbit/s}, {@code 1.5 Mbit/s}, {@code 300 bit/s}. */
    public static String describe(long bitsPerSecond) {
        String[] units = {"bit/s", "kbit/s", "Mbit/s", "Gbit/s"};
        double value = bitsPerSecond;
        int unit = 0;
        while (unit < units.length - 1 && Math.abs(value) >= 1000) {
            value /= 1000;
            unit++;
        }
        // Up to 3 decimals, trailing zeros dropped: rates are usually round, and "20.000 Mbit/s" reads as noise.
        String number = new BigDecimal(value).setScale(3, RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString();
        return number + " " + units[unit];
    }

    private static void positive(String name, long bitsPerSecond) {
        if (bitsPerSecond <= 0) {
            throw new IllegalArgumentException(name + " rate must be above zero, got " + bitsPerSecond + " bit/s");
        }
    }
}
