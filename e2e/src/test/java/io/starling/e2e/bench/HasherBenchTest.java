package io.starling.e2e.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HasherBenchTest {

    @Test
    void aSmallRunTimesTheHasherAndItsBaselinesAndComparesEachWithTheSerialHashes() throws Exception {
        List<String> log = new ArrayList<>();

        List<HasherBench.Row> rows = HasherBench.measure(4 << 20, 1, 0, log::add);
        String md = HasherBench.markdown(rows, 4 << 20, 1, 0, "e2e/bench/hasher.sh --size 4M");

        assertThat(rows).hasSize(5).allSatisfy(r -> assertThat(r.seconds()).isPositive());
        assertThat(rows).extracting(HasherBench.Row::what).contains(HasherBench.SERIAL)
                .anySatisfy(what -> assertThat(what).contains("StreamingHasher").contains("1 piece thread,"))
                .anySatisfy(what -> assertThat(what).contains("StreamingHasher").contains("2 piece threads"));
        assertThat(md).startsWith("### Streaming hasher vs. the JDK's digests (")
                .contains("Command: `e2e/bench/hasher.sh --size 4M`")
                .contains("4 MiB in 64 KiB chunks")
                .contains("| " + HasherBench.SERIAL + " | ");
        assertThat(md.lines().filter(line -> line.matches("\\| .+ \\| [0-9.]+ s \\| [0-9]+ MB/s \\| [0-9.]+ × \\|")))
                .hasSize(5);
        assertThat(md.lines().filter(line -> line.startsWith("| " + HasherBench.SERIAL)))
                .singleElement().asString().endsWith("| 1.00 × |");
        assertThat(log).hasSize(2);
    }
}
