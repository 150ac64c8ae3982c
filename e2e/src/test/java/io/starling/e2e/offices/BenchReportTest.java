package io.starling.e2e.offices;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchReportTest {

    private static final List<String> ISSUE_KEYS = List.of("agents", "sites", "size_bytes", "origin_ratio",
            "wan_ratio_max", "bound_s", "achieved_s", "bound_ratio", "http_s", "speedup_vs_http");

    @Test
    void jsonLineStartsWithTheKeysTheIssueNames() throws Exception {
        String json = BenchReport.json(SampleRuns.oneSite());

        List<String> keys = new ArrayList<>();
        new ObjectMapper().readTree(json).fieldNames().forEachRemaining(keys::add);
        assertThat(keys.subList(0, ISSUE_KEYS.size())).isEqualTo(ISSUE_KEYS);
        assertThat(json).doesNotContain("\n");
    }

    @Test
    void jsonLineCarriesTheNumbersRoundedToThreeDecimals() {
        // bound 536870912 bits / 20e6 = 26.8435456 s; 49 / 26.8435456 = 1.82537…; HTTP 195 / 49 = 3.97959…
        assertThat(BenchReport.json(SampleRuns.oneSite())).isEqualTo("{\"agents\":20,\"sites\":1,\"size_bytes\":67108864,"
                + "\"origin_ratio\":1.5,\"wan_ratio_max\":1.125,\"bound_s\":26.844,\"achieved_s\":49.0,\"bound_ratio\":1.825,"
                + "\"http_s\":195.0,\"speedup_vs_http\":3.98,\"installed\":20,\"wan_payload_ratio_max\":1.0,"
                + "\"p50_s\":39.0,\"p90_s\":47.0}");
    }

    @Test
    void jsonSaysNullForWhatWasNotReachedOrNotMeasured() throws Exception {
        JsonNode json = new ObjectMapper().readTree(BenchReport.json(SampleRuns.twoAgentsMissingNoHttp()));

        assertThat(json.get("achieved_s").isNull()).isTrue();
        assertThat(json.get("bound_ratio").isNull()).isTrue();
        assertThat(json.get("http_s").isNull()).isTrue();
        assertThat(json.get("speedup_vs_http").isNull()).isTrue();
        assertThat(json.get("installed").asInt()).isEqualTo(18);
        // 18 of 20 finished: p90 is rank 18, the last agent that did; p50 is rank 10.
        assertThat(json.get("p90_s").asDouble()).isEqualTo(47.0);
        assertThat(json.get("p50_s").asDouble()).isEqualTo(39.0);
    }

    @Test
    void markdownSectionShowsTheRunsNumbers() {
        String md = BenchReport.markdown(SampleRuns.oneSite(), "offices-1x20.png");

        assertThat(md).startsWith("### Office distribution: 1 site × 20 agents (2026-11-28)\n")
                .contains("`e2e/bench/offices.sh --sites 1 --agents 20`")
                .contains("origin up 50 Mbit/s", "WAN down 20 Mbit/s / up 20 Mbit/s", "64.0 MiB")
                .contains("| Starling | 39.0 | 47.0 | 49.0 | 1.50 | 1.13 (link) |")
                .contains("| plain HTTP (baseline) | 145.0 | 185.0 | 195.0 | 20 (one copy per finished client) "
                        + "| 20 (one copy per client) |")
                .contains("| 26.8 | 49.0 | 1.83 | 3.98 × | 20/20 | site-1 1.13 / 1.00 |")
                .contains("F/d_min binds")
                .contains("](offices-1x20.png)")
                .endsWith("no churn\n");
    }

    @Test
    void markdownShowsDashesWhenAgentsDidNotFinishAndTheBaselineWasSkipped() {
        String md = BenchReport.markdown(SampleRuns.twoAgentsMissingNoHttp(), "x.png");

        assertThat(md).contains("| Starling | 39.0 | 47.0 | — | 1.50 | 1.13 (link) |")
                .contains("| plain HTTP (baseline) | — | — | — | skipped | skipped |")
                .contains("| 26.8 | — | — | — | 18/20 |");
    }

    @Test
    void terminalTableLinesUpItsColumns() {
        String table = BenchReport.table(SampleRuns.oneSite());

        List<String> lines = table.lines().toList();
        String header = lines.stream().filter(l -> l.contains("p50 s")).findFirst().orElseThrow();
        String starling = lines.stream().filter(l -> l.startsWith("Starling")).findFirst().orElseThrow();
        String http = lines.stream().filter(l -> l.startsWith("plain HTTP")).findFirst().orElseThrow();
        assertThat(starling).hasSameSizeAs(header).contains("39.0", "47.0", "49.0", "1.50", "1.13");
        assertThat(http).hasSameSizeAs(header).contains("145.0", "185.0", "195.0");
        assertThat(starling.indexOf("49.0") + 4).isEqualTo(header.indexOf("max s") + 5);
        assertThat(table).contains("26.8 (F/d_min)", "3.98", "20/20", "site-1 1.13 / 1.00");
    }
}
