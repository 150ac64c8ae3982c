package io.starling.e2e.offices;

/**
 * The fastest any distribution scheme could possibly reach all agents on the simulated topology.
 * The benchmark reports achieved time ÷ this bound, so Starling is judged against physics rather
 * than only against plain HTTP.
 */
public final class LowerBound {

    private LowerBound() {
    }

    /**
     * The four terms of the bound, in seconds; package-private so the report can say which one binds.
     *
     * @param originUp  F / u_s: the origin has to send every piece at least once
     * @param agentDown F / d_min: the slowest agent has to receive the whole file
     * @param swarm     N·F / (u_s + Σu_i): N copies have to be uploaded by someone, origin or agents
     * @param wanDown   F / wan_down: every site has to receive at least one copy over its WAN downlink
     *                  (no agent inside starts with any of it), so no site finishes before that
     */
    record Terms(double originUp, double agentDown, double swarm, double wanDown) {

        double max() {
            return Math.max(Math.max(originUp, agentDown), Math.max(swarm, wanDown));
        }

        /** The name of the largest term, as {@link #formula()} spells it; ties go to the first. */
        String binding() {
            double max = max();
            if (originUp == max) {
                return "F/u_s";
            }
            if (agentDown == max) {
                return "F/d_min";
            }
            if (swarm == max) {
                return "N·F/(u_s+Σu_i)";
            }
            return "F/wan_down";
        }
    }

    /**
     * Seconds to get {@code sizeBytes} to all {@code agents} agents (the total over all sites), spread
     * over {@code sites} sites behind identical WAN links.
     */
    public static double seconds(long sizeBytes, int agents, int sites, OfficeLinks links) {
        return terms(sizeBytes, agents, sites, links).max();
    }

    static Terms terms(long sizeBytes, int agents, int sites, OfficeLinks links) {
        if (sizeBytes <= 0 || agents <= 0 || sites <= 0 || agents < sites) {
            throw new IllegalArgumentException("need size > 0 and at least one agent per site, got size "
                    + sizeBytes + " B, " + agents + " agents, " + sites + " sites");
        }
        return terms(sizeBytes, agents, links.originUpBitsPerSecond(), links.agentDownBitsPerSecond(),
                (double) agents * links.agentUpBitsPerSecond(), links.wanDownBitsPerSecond());
    }

    /**
     * The same bound for offices of different sizes and links (the flow-level simulator's fleets):
     * the slowest agent downlink and the slowest WAN downlink bind, the agents' uplinks add up.
     */
    public static double seconds(long sizeBytes, int agents, double originUpBits, double minAgentDownBits,
            double sumAgentUpBits, double minWanDownBits) {
        return terms(sizeBytes, agents, originUpBits, minAgentDownBits, sumAgentUpBits, minWanDownBits).max();
    }

    private static Terms terms(long sizeBytes, int agents, double us, double dMin, double sumUi, double wanDown) {
        // Rates are bits/s, sizes bytes: work in bits. Doubles: 1 GiB · 8 · N overflows nothing here.
        double f = sizeBytes * 8.0;
        double n = agents;
        return new Terms(f / us, f / dMin, n * f / (us + sumUi), f / wanDown);
    }

    /** The formula as one line of text, for the docs next to the numbers. */
    public static String formula() {
        return "max(F/u_s, F/d_min, N·F/(u_s+Σu_i), F/wan_down): F release bits, N agents, u_s origin uplink, "
                + "d_min agent downlink, Σu_i = N × agent uplink, wan_down one site's WAN downlink "
                + "(Kurose–Ross, plus: every site receives at least one copy over its WAN)";
    }
}
