package io.starling.e2e.offices;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Number formatting shared by the markdown and the terminal table, so both show the same digits. */
final class Format {

    /** What a cell shows for a value that does not exist (baseline skipped, agent never finished). */
    static final String NONE = "—";

    private Format() {
    }

    /** Rounded to 3 decimals for JSON; null for NaN and infinities, which JSON cannot carry. */
    static Double round3(double value) {
        return Double.isFinite(value) ? BigDecimal.valueOf(value).setScale(3, RoundingMode.HALF_UP).doubleValue() : null;
    }

    static String seconds(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.1f", value) : NONE;
    }

    static String ratio(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.2f", value) : NONE;
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    /** The date part of an ISO timestamp, for headings; the whole string if it has none. */
    static String date(String isoTimestamp) {
        return isoTimestamp != null && isoTimestamp.matches("\\d{4}-\\d{2}-\\d{2}.*") ? isoTimestamp.substring(0, 10)
                : String.valueOf(isoTimestamp);
    }

    /** One line naming every link, the same in markdown and on the terminal. */
    static String links(OfficeLinks l) {
        return "origin up " + OfficeLinks.describe(l.originUpBitsPerSecond())
                + "; per site WAN down " + OfficeLinks.describe(l.wanDownBitsPerSecond())
                + " / up " + OfficeLinks.describe(l.wanUpBitsPerSecond())
                + "; per agent down " + OfficeLinks.describe(l.agentDownBitsPerSecond())
                + " / up " + OfficeLinks.describe(l.agentUpBitsPerSecond());
    }

    /**
     * "site link / payload" per site, sorted by name. A site missing from one map (a capture that
     * failed) still shows, with a dash, rather than vanishing from the report.
     */
    static List<String> perSiteWanRatios(RunResult r) {
        Set<String> names = new TreeSet<>(r.wanBytesBySite().keySet());
        names.addAll(r.wanPayloadBySite().keySet());
        List<String> lines = new ArrayList<>();
        for (String site : names) {
            lines.add(site + " " + ratioOf(r.wanBytesBySite(), site, r.sizeBytes()) + " / "
                    + ratioOf(r.wanPayloadBySite(), site, r.sizeBytes()));
        }
        return lines;
    }

    private static String ratioOf(Map<String, Long> bytesBySite, String site, long size) {
        Long bytes = bytesBySite.get(site);
        return bytes == null ? NONE : ratio((double) bytes / size);
    }
}
