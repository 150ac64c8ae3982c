package io.starling.e2e.offices;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Turns one run's measurements into what people and scripts read: a JSON line for tooling, a
 * markdown section for docs/benchmarks-history.md, a table for the terminal and a PNG chart.
 */
public final class BenchReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchReport() {
    }

    /**
     * One line of JSON. The first ten keys come in a fixed order so the lines of many runs can be
     * compared by eye and parsed by scripts that know them; numbers have 3 decimals and anything
     * not measured or not reached is null.
     */
    public static String json(RunResult r) {
        Completion starling = Completion.starling(r);
        ObjectNode o = JSON.createObjectNode(); // keeps insertion order
        o.put("agents", r.agents());
        o.put("sites", r.sites());
        o.put("size_bytes", r.sizeBytes());
        o.put("origin_ratio", Format.round3(r.originRatio()));
        o.put("wan_ratio_max", Format.round3(r.wanRatioMax()));
        o.put("bound_s", Format.round3(r.boundSeconds()));
        o.put("achieved_s", Format.round3(r.achievedSeconds()));
        o.put("bound_ratio", Format.round3(r.boundRatio()));
        o.put("http_s", Format.round3(r.httpMaxSeconds()));
        o.put("speedup_vs_http", Format.round3(r.speedupVsHttp()));
        o.put("installed", r.installed());
        o.put("wan_payload_ratio_max", Format.round3(r.wanPayloadRatioMax()));
        o.put("p50_s", Format.round3(starling.p50()));
        o.put("p90_s", Format.round3(starling.p90()));
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of numbers did not serialise", e);
        }
    }

    /** A section for docs/benchmarks-history.md, with the chart linked by its file name next to the doc. */
    public static String markdown(RunResult r, String chartFileName) {
        return MarkdownSection.of(r, chartFileName);
    }

    /** Aligned plain text for the end of a run in the terminal. */
    public static String table(RunResult r) {
        return TerminalTable.of(r);
    }

    /** Writes the completion-time CDF (about 900×500) to {@code png}, atomically. */
    public static void chart(RunResult r, Path png) throws IOException {
        CdfChart.write(r, png);
    }
}
