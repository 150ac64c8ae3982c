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
        return copy(b -> b.name = n);
    }

    public Scenario withChurn(double fraction) {
        return copy(b -> b.churn = fraction);
    }

    public Scenario withLateJoiners(double fraction, double seconds) {
        return copy(b -> {
            b.lateFraction = fraction;
            b.lateSeconds = seconds;
        });
    }

    public Scenario withPieceBytes(int bytes) {
        return copy(b -> b.pieceBytes = bytes);
    }

    public Scenario withGateways(int gateways) {
        return copy(b -> b.siteGateways = gateways);
    }

    public Scenario withAnnounceSeconds(double seconds) {
        return copy(b -> b.announceSeconds = seconds);
    }

    public Scenario withoutHttp() {
        return copy(b -> b.httpBaseline = false);
    }

    /** This scenario with some fields changed: one place that names every field. */
    private Scenario copy(java.util.function.Consumer<Fields> change) {
        Fields f = new Fields();
        f.name = name;
        f.pieceBytes = pieceBytes;
        f.siteGateways = siteGateways;
        f.announceSeconds = announceSeconds;
        f.churn = churn;
        f.lateFraction = lateFraction;
        f.lateSeconds = lateSeconds;
        f.httpBaseline = httpBaseline;
        change.accept(f);
        return new Scenario(f.name, offices, originUpBits, sizeBytes, f.pieceBytes, f.siteGateways, f.announceSeconds,
                f.churn, churnAtProgress, restartSeconds, f.lateFraction, f.lateSeconds, f.httpBaseline, seed);
    }

    private static final class Fields {
        String name;
        int pieceBytes;
        int siteGateways;
        double announceSeconds;
        double churn;
        double lateFraction;
        double lateSeconds;
        boolean httpBaseline;
    }
}
