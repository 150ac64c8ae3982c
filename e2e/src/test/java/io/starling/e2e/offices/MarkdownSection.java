package io.starling.e2e.offices;

import java.util.List;
import java.util.StringJoiner;

/** The section one run adds to docs/benchmarks-history.md; see {@link BenchReport#markdown}. */
final class MarkdownSection {

    private MarkdownSection() {
    }

    static String of(RunResult r, String chartFileName) {
        StringBuilder md = new StringBuilder();
        md.append("### Office distribution: ").append(r.scenario()).append(" (").append(Format.date(r.startedAt()))
                .append(")\n\n");
        md.append("Command: ").append(codeSpan(r.command())).append(" (started ").append(r.startedAt()).append(")\n\n");
        md.append("Links: ").append(Format.links(r.links())).append(". Release: ").append(Format.mib(r.sizeBytes()))
                .append(", ").append(r.sites()).append(r.sites() == 1 ? " site" : " sites").append(" × ")
                .append(r.agentsPerSite()).append(" agents.\n\n");
        comparison(md, r);
        bound(md, r);
        md.append("![Completion-time CDF, ").append(r.scenario()).append("](").append(chartFileName).append(")\n");
        if (!r.notes().isBlank()) {
            md.append('\n').append(r.notes().strip()).append('\n');
        }
        return md.toString();
    }

    private static void comparison(StringBuilder md, RunResult r) {
        Completion starling = Completion.starling(r);
        Completion http = Completion.http(r);
        boolean httpRan = !r.httpSeconds().isEmpty();
        md.append("| | p50 s | p90 s | max s | origin bytes ÷ size | WAN ratio (max over sites) |\n");
        md.append("|---|---:|---:|---:|---:|---:|\n");
        row(md, "Starling", Format.seconds(starling.p50()), Format.seconds(starling.p90()), Format.seconds(starling.max()),
                Format.ratio(r.originRatio()), Format.ratio(r.wanRatioMax()) + " (link)");
        // The baseline's traffic is not measured: each HTTP client pulls one full copy from the origin
        // over its site's WAN, so the ratios follow from how many clients finished.
        row(md, "plain HTTP (baseline)", Format.seconds(http.p50()), Format.seconds(http.p90()), Format.seconds(http.max()),
                httpRan ? r.httpSeconds().size() + " (one copy per finished client)" : "skipped",
                httpRan && r.httpSeconds().size() == r.agents() ? r.agentsPerSite() + " (one copy per client)"
                        : httpRan ? Format.NONE : "skipped");
        md.append('\n');
    }

    private static void bound(StringBuilder md, RunResult r) {
        md.append("| lower bound s | achieved s | achieved ÷ bound | speed-up over HTTP | installed | "
                + "WAN ratio per site (link / payload) |\n");
        md.append("|---:|---:|---:|---:|---:|---|\n");
        String speedup = Double.isFinite(r.speedupVsHttp()) ? Format.ratio(r.speedupVsHttp()) + " ×" : Format.NONE;
        row(md, Format.seconds(r.boundSeconds()), Format.seconds(r.achievedSeconds()), Format.ratio(r.boundRatio()),
                speedup, r.installed() + "/" + r.agents(), perSite(r));
        md.append('\n');
        md.append("Lower bound: ").append(LowerBound.formula()).append("; here ")
                .append(LowerBound.terms(r.sizeBytes(), r.agents(), r.sites(), r.links()).binding())
                .append(" binds.\n\n");
    }

    private static String perSite(RunResult r) {
        List<String> sites = Format.perSiteWanRatios(r);
        return sites.isEmpty() ? Format.NONE : String.join("; ", sites);
    }

    private static void row(StringBuilder md, String... cells) {
        StringJoiner line = new StringJoiner(" | ", "| ", " |\n");
        for (String c : cells) {
            line.add(cell(c));
        }
        md.append(line);
    }

    /** A pipe inside a cell would end it early. */
    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    /** A command containing backticks needs a longer fence, or the span would end inside it. */
    private static String codeSpan(String text) {
        String fence = text.contains("``") ? "```" : text.contains("`") ? "``" : "`";
        String pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
        return fence + pad + text + pad + fence;
    }
}
