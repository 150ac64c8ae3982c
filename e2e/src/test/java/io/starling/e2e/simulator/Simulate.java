package io.starling.e2e.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code e2e/bench/simulate.sh}: the flow-level simulator's validation against the network-namespace
 * benchmark, and its predictions for a fleet of 10,000 agents. Prints markdown tables on standard
 * output, progress on standard error. Exit codes: 0 done, 2 bad arguments.
 */
public final class Simulate {

    static final String USAGE = """
            Usage: e2e/bench/simulate.sh [validate] [fleet] [sweeps] [--step SECONDS] [--chart FILE]

              validate   the four scenarios the namespace benchmark measured, simulated vs measured
              fleet      10,000 agents in 200 offices of mixed sizes and links, with churn and late joiners
              sweeps     the fleet again with other piece sizes, gateways per site and announce intervals
              --step S   simulated time step in seconds (default 0.1)
              --chart F  write the fleet's completion-time CDF to the PNG file F
            With no scenario named: all three.
            """;

    private static final long MIB = 1L << 20;
    private static final long MBIT = 1_000_000L;

    private Simulate() {
    }

    /** A scenario the namespace benchmark measured (docs/benchmarks.md, "Office distribution"; issue #16). */
    record Measured(Scenario scenario, double origin, double wanLink, double boundRatio, double speedup, String run) {
    }

    static List<Measured> measured() {
        Scenario oneByTwenty = Scenario.bench("1 site × 20", 1, 20, 50 * MBIT, 20 * MBIT, 20 * MBIT, 64 * MIB, 256 * 1024);
        Scenario threeByTen = Scenario.bench("3 sites × 10", 3, 10, 50 * MBIT, 20 * MBIT, 20 * MBIT, 64 * MIB, 256 * 1024);
        Scenario twoByThree = Scenario.bench("2 sites × 3 (CI)", 2, 3, 50 * MBIT, 20 * MBIT, 20 * MBIT, 64 * MIB, 256 * 1024);
        return List.of(
                new Measured(oneByTwenty, 1.00, 1.08, 2.78, 7.51, "2026-11-27"),
                new Measured(threeByTen, 2.60, 1.05, 2.88, 5.31, "2026-11-27"),
                new Measured(threeByTen.withChurn(0.2).withName("3 sites × 10, churn 20 %"), 2.79, 1.05, 3.57, 3.64,
                        "2026-11-27"),
                new Measured(twoByThree, 1.81, 1.03, 1.90, 1.6, "issue #16"));
    }

    /**
     * 10,000 agents in 200 offices: many small branches on thin WAN links, fewer large sites on
     * fat ones; a 1 Gbit/s origin; a 64 MiB release, as in the benchmark.
     */
    static Scenario fleet() {
        List<Scenario.Office> offices = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Scenario.Office o;
            if (i < 50) {
                o = new Scenario.Office(10, 20 * MBIT, 20 * MBIT, 100 * MBIT, 100 * MBIT);
            } else if (i < 130) {
                o = new Scenario.Office(40, 50 * MBIT, 50 * MBIT, 100 * MBIT, 100 * MBIT);
            } else if (i < 180) {
                o = new Scenario.Office(60, 100 * MBIT, 100 * MBIT, 1000 * MBIT, 1000 * MBIT);
            } else {
                o = new Scenario.Office(165, 200 * MBIT, 200 * MBIT, 1000 * MBIT, 1000 * MBIT);
            }
            offices.add(o);
        }
        return new Scenario("10,000 agents, 200 offices", offices, 1000 * MBIT, 64 * MIB, 256 * 1024, 1, 60, 0.1, 0.3, 10,
                0.1, 60, true, 1);
    }

    public static void main(String[] args) {
        List<String> what = new ArrayList<>();
        double step = 0.1;
        java.nio.file.Path chart = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "validate", "fleet", "sweeps" -> what.add(args[i]);
                case "--chart" -> {
                    if (i + 1 >= args.length) {
                        fail("--chart needs a file name, like docs/bench/simulated-fleet.png");
                    }
                    chart = java.nio.file.Path.of(args[++i]);
                }
                case "--step" -> {
                    if (i + 1 >= args.length) {
                        fail("--step needs a value in seconds, like 0.1");
                    }
                    step = parseStep(args[++i]);
                }
                case "-h", "--help" -> {
                    System.out.print(USAGE);
                    System.exit(0);
                }
                default -> fail("unknown argument '" + args[i] + "' (try --help)");
            }
        }
        if (what.isEmpty()) {
            what = List.of("validate", "fleet", "sweeps");
        }
        if (what.contains("validate")) {
            validate(step);
        }
        if (what.contains("fleet")) {
            SimResult r = run(fleet(), step);
            System.out.println(header());
            System.out.println(row(r));
            System.out.println();
            if (chart != null) {
                chart(r, chart);
            }
        }
        if (what.contains("sweeps")) {
            sweeps(step);
        }
    }

    private static void chart(SimResult r, java.nio.file.Path png) {
        List<Double> seconds = new ArrayList<>();
        for (double d : r.doneAt()) {
            if (!Double.isNaN(d)) {
                seconds.add(d);
            }
        }
        try {
            io.starling.e2e.offices.CdfChart.write(r.scenario().name() + " (simulated)", seconds, r.doneAt().length,
                    r.boundSeconds(), png);
            System.err.println("simulate: chart in " + png);
        } catch (java.io.IOException e) {
            fail("cannot write the chart " + png + ": " + e.getMessage());
        }
    }

    static void validate(double step) {
        System.out.println("| scenario | origin ÷ F sim / measured | WAN ÷ F (link) sim / measured | time ÷ bound sim / measured"
                + " | vs HTTP sim / measured | sim first / median / last s | within 15 % |");
        System.out.println("|---|---:|---:|---:|---:|---:|---|");
        for (Measured m : measured()) {
            SimResult r = run(m.scenario(), step);
            double wanLink = r.wanRatioMax() / Simulation.PAYLOAD_SHARE;
            List<String> off = new ArrayList<>();
            check(off, "origin", r.originRatio(), m.origin());
            check(off, "WAN", wanLink, m.wanLink());
            check(off, "time", r.boundRatio(), m.boundRatio());
            check(off, "HTTP", r.speedupVsHttp(), m.speedup());
            System.out.println(String.format(Locale.ROOT, "| %s (%s) | %.2f / %.2f | %.2f / %.2f | %.2f / %.2f | %.1f × / %.1f × | %s | %s |",
                    m.scenario().name(), m.run(), r.originRatio(), m.origin(), wanLink, m.wanLink(), r.boundRatio(),
                    m.boundRatio(), r.speedupVsHttp(), m.speedup(), spread(r),
                    off.isEmpty() ? "all four" : "not: " + String.join(", ", off)));
        }
        System.out.println();
    }

    private static String spread(SimResult r) {
        double[] d = r.doneAt().clone();
        java.util.Arrays.sort(d);
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f", d[0], d[d.length / 2], d[d.length - 1]);
    }

    private static void check(List<String> off, String name, double sim, double measured) {
        if (!(Math.abs(sim - measured) <= 0.15 * measured)) {
            off.add(name);
        }
    }

    /**
     * The sweeps run on a fifth of the fleet (40 offices of the same mix, 2,000 agents), so that
     * eight runs fit in minutes on a shared machine; the full fleet's row says how far that scales.
     */
    static void sweeps(double step) {
        Scenario full = fleet();
        Scenario base = new Scenario("2,000 agents, 40 offices", java.util.stream.IntStream.range(0, full.offices().size())
                .filter(i -> i % 5 == 0).mapToObj(full.offices()::get).toList(), full.originUpBits(), full.sizeBytes(), full.pieceBytes(), full.siteGateways(),
                full.announceSeconds(), full.churn(), full.churnAtProgress(), full.restartSeconds(), full.lateFraction(),
                full.lateSeconds(), false, full.seed());
        System.out.println(header());
        System.out.println(row(run(base, step)));
        System.out.println(row(run(base.withChurn(0).withName("no churn"), step)));
        System.out.println(row(run(base.withChurn(0).withLateJoiners(0, 0).withName("no churn, no late joiners"), step)));
        for (int piece : new int[] {1024 * 1024, 4 * 1024 * 1024}) {
            System.out.println(row(run(base.withPieceBytes(piece).withName("piece " + piece / 1024 + " KiB"), step)));
        }
        for (int g : new int[] {0, 2}) {
            System.out.println(row(run(base.withGateways(g).withName(g == 0 ? "every leecher a gateway" : g + " gateways per site"), step)));
        }
        for (int a : new int[] {10, 300}) {
            System.out.println(row(run(base.withAnnounceSeconds(a).withName("announce every " + a + " s"), step)));
        }
        System.out.println();
    }

    static SimResult run(Scenario s, double step) {
        System.err.println("simulate: " + s.name() + " (" + s.agents() + " agents, " + s.offices().size() + " offices, "
                + s.pieces() + " pieces)");
        SimResult r = new Simulation(s, step).progress(line -> System.err.println("simulate:   " + line)).run(3600);
        System.err.println(String.format(Locale.ROOT, "simulate:   done in %.1f s of wall time; last agent at %.1f s",
                r.wallSeconds(), r.achievedSeconds()));
        return r;
    }

    static String header() {
        return "| scenario | origin ÷ F | WAN ÷ F max / mean | achieved s | bound s | time ÷ bound | vs HTTP | wall s |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|";
    }

    static String row(SimResult r) {
        return String.format(Locale.ROOT, "| %s | %.2f | %.2f / %.2f | %.1f | %.1f | %.2f | %s | %.0f |", r.scenario().name(),
                r.originRatio(), r.wanRatioMax(), r.wanRatioMean(), r.achievedSeconds(), r.boundSeconds(), r.boundRatio(),
                Double.isNaN(r.httpSeconds()) ? "–" : String.format(Locale.ROOT, "%.1f ×", r.speedupVsHttp()),
                r.wallSeconds());
    }

    private static double parseStep(String v) {
        try {
            double d = Double.parseDouble(v);
            if (d >= 0.005 && d <= 2) {
                return d;
            }
        } catch (NumberFormatException e) {
            // falls through
        }
        fail("--step must be seconds from 0.005 to 2, like 0.1, got '" + v + "'");
        return 0;
    }

    private static void fail(String message) {
        System.err.println("simulate: " + message);
        System.exit(2);
    }
}
