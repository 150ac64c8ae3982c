package io.starling.e2e.offices;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What {@code e2e/bench.sh} was asked to run. Parsing refuses bad input with one line that says
 * which option and what it accepts.
 */
public record BenchOptions(int sites, int agentsPerSite, long sizeBytes, OfficeLinks links, double churn,
        boolean http, boolean superSeeding, Path record, String scenario, List<String> args) {

    static final String USAGE = """
            Usage: e2e/bench.sh [--sites S] [--agents-per-site N] [--size 64M] [--churn 0.2] [--no-http]
                                [--super-seeding]
                                [--origin-up 50mbit] [--wan-down 20mbit] [--wan-up 20mbit]
                                [--lan-down 20mbit] [--lan-up 20mbit] [--name TEXT] [--no-record] [--no-build]

            Builds S simulated offices of N agents each (network namespaces, one bridge per site, tc
            shaping), publishes a release of the given size, deploys it to every agent and measures how
            long the fleet takes, how many bytes the origin served and how many crossed each site's WAN,
            against the Kurose-Ross lower bound; then the same agents download it over plain HTTP from
            the origin. Prints a table, then one JSON line. Needs root and iproute2.

              --sites S             offices (default 1)
              --agents-per-site N   agents per office (default 3)
              --size SIZE           release size, K/M/G binary suffixes (default 64M, at most 1G)
              --churn F             kill this fraction of the agents (SIGKILL) at 30 % of the download and
                                    start them again 5 s later (default 0)
              --no-http             skip the plain HTTP baseline
              --super-seeding       the origin super-seeds every swarm (starling.seed.super-seeding=true);
                                    without it the tracker chooses per swarm
              --origin-up RATE      the control plane's uplink (tc rate: 50mbit, 1gbit, …)
              --wan-down/--wan-up   each office's WAN link, into / out of the office
              --lan-down/--lan-up   each agent's LAN link
              --name TEXT           scenario name in the report
              --no-record           do not record the run in docs/benchmarks-history.md (the table and JSON still print)
              --no-build            use the control plane, agent and benchmark already built
            """;

    /** Thrown for bad input; the message is the whole line a user sees. */
    public static final class BadOption extends IllegalArgumentException {
        BadOption(String message) {
            super(message);
        }
    }

    public int agents() {
        return sites * agentsPerSite;
    }

    public static BenchOptions parse(List<String> args, Path defaultRecord) {
        int sites = 1;
        int perSite = 3;
        long size = 64L << 20;
        double churn = 0;
        boolean http = true;
        boolean superSeeding = false;
        Path record = defaultRecord;
        String name = null;
        long originUp = OfficeLinks.parseRate("50mbit");
        long wanDown = OfficeLinks.parseRate("20mbit");
        long wanUp = OfficeLinks.parseRate("20mbit");
        long lanDown = OfficeLinks.parseRate("20mbit");
        long lanUp = OfficeLinks.parseRate("20mbit");
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            switch (option) {
                case "--no-http" -> http = false;
                case "--super-seeding" -> superSeeding = true;
                case "--no-record" -> record = null;
                case "-h", "--help" -> throw new BadOption(USAGE);
                default -> {
                    if (i + 1 >= args.size()) {
                        throw new BadOption(option.startsWith("--") && isValued(option)
                                ? option + " needs a value (try --help)" : "unknown option '" + option + "' (try --help)");
                    }
                    String value = args.get(++i);
                    switch (option) {
                        case "--sites" -> sites = count(option, value, 1, 50);
                        case "--agents-per-site" -> perSite = count(option, value, 1, 200);
                        case "--size" -> size = size(value);
                        case "--churn" -> churn = fraction(value);
                        case "--origin-up" -> originUp = rate(option, value);
                        case "--wan-down" -> wanDown = rate(option, value);
                        case "--wan-up" -> wanUp = rate(option, value);
                        case "--lan-down" -> lanDown = rate(option, value);
                        case "--lan-up" -> lanUp = rate(option, value);
                        case "--name" -> name = value;
                        default -> throw new BadOption("unknown option '" + option + "' (try --help)");
                    }
                }
            }
        }
        if (name == null) {
            name = sites + (sites == 1 ? " site" : " sites") + " × " + perSite + (perSite == 1 ? " agent" : " agents")
                    + (churn > 0 ? ", churn " + Math.round(churn * 100) + " %" : "")
                    + (superSeeding ? ", origin super-seeding" : "");
        }
        return new BenchOptions(sites, perSite, size, new OfficeLinks(originUp, wanDown, wanUp, lanDown, lanUp), churn,
                http, superSeeding, record, name, List.copyOf(args));
    }

    private static boolean isValued(String option) {
        return List.of("--sites", "--agents-per-site", "--size", "--churn", "--origin-up", "--wan-down", "--wan-up",
                "--lan-down", "--lan-up", "--name").contains(option);
    }

    private static int count(String option, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new BadOption(option + " must be a whole number from " + min + " to " + max + ", got '" + value + "'");
    }

    static long size(String value) {
        String v = value.strip().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (v.endsWith("K") || v.endsWith("M") || v.endsWith("G")) {
            unit = switch (v.charAt(v.length() - 1)) {
                case 'K' -> 1L << 10;
                case 'M' -> 1L << 20;
                default -> 1L << 30;
            };
            v = v.substring(0, v.length() - 1);
        }
        try {
            long n = Long.parseLong(v) * unit;
            if (n >= (1 << 20) && n <= (1L << 30)) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new BadOption("--size must be from 1M to 1G, like 64M or 512M, got '" + value + "'");
    }

    private static double fraction(String value) {
        try {
            double f = Double.parseDouble(value);
            if (f >= 0 && f <= 0.9) {
                return f;
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new BadOption("--churn must be a fraction from 0 to 0.9, like 0.2, got '" + value + "'");
    }

    private static long rate(String option, String value) {
        try {
            return OfficeLinks.parseRate(value);
        } catch (IllegalArgumentException e) {
            throw new BadOption(option + ": " + e.getMessage());
        }
    }
}
