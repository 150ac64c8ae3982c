package io.starling.e2e.offices;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one benchmark run measured; everything the report shows is derived from these fields, so a
 * run can be saved, re-read and re-reported without running it again.
 *
 * @param scenario         what the run was, for headings, e.g. "1 site × 20 agents"
 * @param starlingSeconds  per agent that finished: seconds from the deployment's creation until it had
 *                         the whole release; agents that never finished are absent
 * @param installed        agents that reported INSTALLED
 * @param originBytes      payload bytes the origin seeder and web seed sent during the run
 * @param wanBytesBySite   bytes received over each site's WAN link, measured on the link (TCP/IP headers
 *                         included)
 * @param wanPayloadBySite payload bytes the agents of each site got from outside the site, as they
 *                         reported them
 * @param httpSeconds      per agent, the plain HTTP baseline; empty when the baseline was skipped
 * @param notes            free text such as churn details; may be empty
 * @param startedAt        ISO-8601 timestamp of the start
 * @param command          the command line that produced the run
 */
public record RunResult(String scenario, int sites, int agentsPerSite, long sizeBytes, OfficeLinks links,
                        List<Double> starlingSeconds, int installed, long originBytes,
                        Map<String, Long> wanBytesBySite, Map<String, Long> wanPayloadBySite,
                        List<Double> httpSeconds, String notes, String startedAt, String command) {

    public RunResult {
        if (sites <= 0 || agentsPerSite <= 0 || sizeBytes <= 0) {
            throw new IllegalArgumentException("need sites, agents per site and size above zero, got "
                    + sites + ", " + agentsPerSite + ", " + sizeBytes);
        }
        if (installed < 0 || installed > sites * agentsPerSite) {
            throw new IllegalArgumentException("installed must be within 0.." + sites * agentsPerSite + ", got " + installed);
        }
        starlingSeconds = List.copyOf(starlingSeconds);
        httpSeconds = List.copyOf(httpSeconds);
        // Sorted by site name so reports list sites in the same order every run.
        wanBytesBySite = Collections.unmodifiableMap(new TreeMap<>(wanBytesBySite));
        wanPayloadBySite = Collections.unmodifiableMap(new TreeMap<>(wanPayloadBySite));
        notes = notes == null ? "" : notes;
    }

    public int agents() {
        return sites * agentsPerSite;
    }

    /** Origin payload ÷ release size: 1.0 means the origin sent exactly one copy. */
    public double originRatio() {
        return (double) originBytes / sizeBytes;
    }

    /** The worst site's WAN traffic ÷ release size, measured on the link (headers included). */
    public double wanRatioMax() {
        return maxRatio(wanBytesBySite);
    }

    /** The worst site's payload from outside ÷ release size, as the agents reported it. */
    public double wanPayloadRatioMax() {
        return maxRatio(wanPayloadBySite);
    }

    public double boundSeconds() {
        return LowerBound.seconds(sizeBytes, agents(), sites, links);
    }

    /**
     * When the last agent had the release; NaN when some agent never got there, because then the
     * run has no completion time at all (the max of the others would flatter it).
     */
    public double achievedSeconds() {
        return starlingSeconds.size() < agents() ? Double.NaN : Percentiles.max(starlingSeconds);
    }

    public double boundRatio() {
        return achievedSeconds() / boundSeconds();
    }

    /** When the last plain HTTP client finished; NaN when the baseline was skipped. */
    public double httpMaxSeconds() {
        return Percentiles.max(httpSeconds);
    }

    /** How many times faster than plain HTTP; NaN when either side has no completion time. */
    public double speedupVsHttp() {
        return httpMaxSeconds() / achievedSeconds();
    }

    private double maxRatio(Map<String, Long> bytesBySite) {
        return bytesBySite.values().stream().mapToDouble(b -> (double) b / sizeBytes).max().orElse(Double.NaN);
    }
}
