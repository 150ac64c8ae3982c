package io.starling.e2e.offices;

import java.util.List;

/** What a person reads in the terminal at the end of a run; see {@link BenchReport#table}. */
final class TerminalTable {

    private TerminalTable() {
    }

    static String of(RunResult r) {
        Completion starling = Completion.starling(r);
        Completion http = Completion.http(r);
        boolean httpRan = !r.httpSeconds().isEmpty();
        StringBuilder out = new StringBuilder();
        out.append(r.scenario()).append(", ").append(Format.mib(r.sizeBytes())).append('\n');
        out.append(Format.links(r.links())).append('\n').append('\n');
        out.append(aligned(List.of(
                new String[] {"", "p50 s", "p90 s", "max s", "origin ÷ size", "WAN ratio max"},
                new String[] {"Starling", Format.seconds(starling.p50()), Format.seconds(starling.p90()),
                    Format.seconds(starling.max()), Format.ratio(r.originRatio()), Format.ratio(r.wanRatioMax())},
                new String[] {"plain HTTP (baseline)", Format.seconds(http.p50()), Format.seconds(http.p90()),
                    Format.seconds(http.max()), httpRan ? r.httpSeconds().size() + "*" : "skipped",
                    !httpRan ? "skipped" : r.httpSeconds().size() == r.agents() ? r.agentsPerSite() + "*" : Format.NONE})));
        if (httpRan) {
            out.append("* by construction, not measured: each HTTP client pulls one full copy from the origin\n");
        }
        out.append('\n');
        String binding = LowerBound.terms(r.sizeBytes(), r.agents(), r.sites(), r.links()).binding();
        out.append(aligned(List.of(
                new String[] {"lower bound s", "achieved s", "achieved ÷ bound", "speed-up over HTTP", "installed"},
                new String[] {Format.seconds(r.boundSeconds()) + " (" + binding + ")", Format.seconds(r.achievedSeconds()),
                    Format.ratio(r.boundRatio()), Format.ratio(r.speedupVsHttp()), r.installed() + "/" + r.agents()})));
        out.append('\n');
        out.append("WAN ratio per site (link / payload):\n");
        for (String site : Format.perSiteWanRatios(r)) {
            out.append("  ").append(site).append('\n');
        }
        if (!r.notes().isBlank()) {
            out.append('\n').append(r.notes()).append('\n');
        }
        return out.toString();
    }

    /** Rows padded to common column widths: the first column to the left, numbers to the right. */
    static String aligned(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String pad = " ".repeat(width[c] - row[c].length());
                line.append(c == 0 ? row[c] + pad : "  " + pad + row[c]);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
