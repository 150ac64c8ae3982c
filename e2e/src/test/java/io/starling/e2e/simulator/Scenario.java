package io.starling.e2e.simulator;

import java.util.List;

/**
 * What one simulated distribution is: the offices and their links, the origin, the release, and
 * the tracker's and agents' policy knobs. Rates are bits per second, as {@code tc} and the
 * benchmark's {@code OfficeLinks} spell them.
 *
 * @param originUpBits      the origin's uplink (seeder and web seed together)
 * @param pieceBytes        the torrent's piece length
 * @param siteGateways      the tracker's {@code site-gateways}
 * @param announceSeconds   the tracker's announce {@code interval}
 * @param churn             fraction of agents killed (SIGKILL, no "stopped") when {@code churnAtProgress} of all
 *                          bytes have arrived, restarted {@code restartSeconds} later with the pieces of their last
 *                          resume save
 * @param lateFraction      fraction of agents that join {@code lateSeconds} after the deployment (laptops
 *                          switched on later); every k-th agent, so that each office has some
 * @param httpBaseline      also compute every agent fetching the file over HTTP from the origin at once
 */
public record Scenario(String name, List<Office> offices, long originUpBits, long sizeBytes, int pieceBytes,
        int siteGateways, double announceSeconds, double churn, double churnAtProgress, double restartSeconds,
        double lateFraction, double lateSeconds, boolean httpBaseline, long seed) {

    /** One office: its agents behind one WAN link, each agent on its own LAN link. */
    public record Office(int agents, long wanDownBits, long wanUpBits, long lanDownBits, long lanUpBits) {
    }

    public int agents() {
        return offices.stream().mapToInt(Office::agents).sum();
    }

    public int pieces() {
        return (int) ((sizeBytes + pieceBytes - 1) / pieceBytes);
    }

    /** The namespace benchmark's shape: {@code sites} identical offices, default tracker settings. */
    public static Scenario bench(String name, int sites, int perSite, long originUpBits, long wanBits, long lanBits,
            long sizeBytes, int pieceBytes) {
        List<Office> offices = java.util.Collections.nCopies(sites, new Office(perSite, wanBits, wanBits, lanBits, lanBits));
        return new Scenario(name, offices, originUpBits, sizeBytes, pieceBytes, 1, 60, 0, 0.3, 10, 0, 0, true, 1);
    }

    public Scenario withName(String n) {
        return new Scenario(n, offices, originUpBits, sizeBytes, pieceBytes, siteGateways, announceSeconds, churn,
                churnAtProgress, restartSeconds, lateFraction, lateSeconds, httpBaseline, seed);
    }

    public Scenario withChurn(double fraction) {
        return new Scenario(name, offices, originUpBits, sizeBytes, pieceBytes, siteGateways, announceSeconds, fraction,
                churnAtProgress, restartSeconds, lateFraction, lateSeconds, httpBaseline, seed);
    }

    public Scenario withLateJoiners(double fraction, double seconds) {
        return new Scenario(name, offices, originUpBits, sizeBytes, pieceBytes, siteGateways, announceSeconds, churn,
                churnAtProgress, restartSeconds, fraction, seconds, httpBaseline, seed);
    }

    public Scenario withPieceBytes(int bytes) {
        return new Scenario(name, offices, originUpBits, sizeBytes, bytes, siteGateways, announceSeconds, churn,
                churnAtProgress, restartSeconds, lateFraction, lateSeconds, httpBaseline, seed);
    }

    public Scenario withGateways(int gateways) {
        return new Scenario(name, offices, originUpBits, sizeBytes, pieceBytes, gateways, announceSeconds, churn,
                churnAtProgress, restartSeconds, lateFraction, lateSeconds, httpBaseline, seed);
    }

    public Scenario withAnnounceSeconds(double seconds) {
        return new Scenario(name, offices, originUpBits, sizeBytes, pieceBytes, siteGateways, seconds, churn,
                churnAtProgress, restartSeconds, lateFraction, lateSeconds, httpBaseline, seed);
    }

    public Scenario withoutHttp() {
        return new Scenario(name, offices, originUpBits, sizeBytes, pieceBytes, siteGateways, announceSeconds, churn,
                churnAtProgress, restartSeconds, lateFraction, lateSeconds, false, seed);
    }
}
