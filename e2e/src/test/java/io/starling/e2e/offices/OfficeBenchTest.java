package io.starling.e2e.offices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OfficeBenchTest {

    @TempDir
    Path docs;

    @Test
    void aRecordedRunGoesAboveTheOlderRunsWithItsChartBesideTheHistory() throws Exception {
        Path history = docs.resolve("benchmarks-history.md");
        Files.writeString(history, "# History\n\n" + OfficeBench.HISTORY_MARKER + "\n\n### An older run (2026-11-27)\n\nold\n");

        OfficeBench.record(SampleRuns.oneSite(), history);

        String doc = Files.readString(history);
        int marker = doc.indexOf(OfficeBench.HISTORY_MARKER);
        int newRun = doc.indexOf("### Office distribution: 1 site × 20 agents");
        int olderRun = doc.indexOf("### An older run");
        assertThat(marker).isNotNegative();
        assertThat(newRun).isGreaterThan(marker).isLessThan(olderRun);
        assertThat(doc).startsWith("# History\n\n").endsWith("old\n").contains("\n\n### An older run");
        try (var charts = Files.list(docs.resolve("bench"))) {
            assertThat(charts.map(p -> p.getFileName().toString()))
                    .singleElement().satisfies(name -> assertThat(doc).contains("(bench/" + name + ")"));
        }
    }

    @Test
    void aHistoryWithoutTheMarkerIsLeftAloneAndTheRecordFails() throws Exception {
        Path history = docs.resolve("benchmarks-history.md");
        Files.writeString(history, "# Someone removed the marker\n");

        assertThatIOException().isThrownBy(() -> OfficeBench.record(SampleRuns.oneSite(), history))
                .withMessageContaining("no line");
        assertThat(Files.readString(history)).isEqualTo("# Someone removed the marker\n");
    }
}
