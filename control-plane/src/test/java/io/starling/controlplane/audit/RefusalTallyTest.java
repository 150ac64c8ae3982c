package io.starling.controlplane.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefusalTallyTest {

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void aThousandRefusalsOfOneCallBecomeOneCountWithTheirTimeSpan() {
        RefusalTally tally = new RefusalTally(10);
        for (int i = 0; i < 1000; i++) {
            tally.count("POST", "/api/agent/v1/enroll", 403, "The enrollment token is not valid", T0.plusSeconds(i));
        }
        List<RefusalTally.Count> counts = tally.drain();
        assertThat(counts).singleElement().satisfies(c -> {
            assertThat(c.calls()).isEqualTo(1000);
            assertThat(c.first()).isEqualTo(T0);
            assertThat(c.last()).isEqualTo(T0.plusSeconds(999));
            assertThat(c.detail()).isEqualTo("The enrollment token is not valid");
        });
    }

    @Test
    void aScannerVaryingThePathCannotGrowTheTallyPastItsBound() {
        RefusalTally tally = new RefusalTally(3);
        for (int i = 0; i < 10_000; i++) {
            tally.count("DELETE", "/api/v1/x" + i, 401, null, T0);
        }
        List<RefusalTally.Count> counts = tally.drain();
        assertThat(counts).hasSize(4);
        assertThat(counts).filteredOn(c -> c.key().target().equals(RefusalTally.OTHER)).singleElement()
                .satisfies(c -> assertThat(c.calls()).isEqualTo(10_000 - 3));
        assertThat(counts.stream().mapToLong(RefusalTally.Count::calls).sum()).isEqualTo(10_000);
    }

    @Test
    void drainingStartsAfreshSoNothingIsCountedTwice() {
        RefusalTally tally = new RefusalTally(10);
        tally.count("POST", "/api/v1/products", 401, null, T0);
        assertThat(tally.drain()).hasSize(1);
        assertThat(tally.drain()).isEmpty();
    }

    @Test
    void countsFromManyThreadsAreNotLostAcrossDrains() throws Exception {
        RefusalTally tally = new RefusalTally(10);
        long[] drained = new long[1];
        Thread drainer = new Thread(() -> {
            for (int i = 0; i < 200; i++) {
                tally.drain().forEach(c -> drained[0] += c.calls());
            }
        });
        Thread[] counters = new Thread[4];
        for (int t = 0; t < counters.length; t++) {
            counters[t] = new Thread(() -> {
                for (int i = 0; i < 25_000; i++) {
                    tally.count("POST", "/api/v1/products", 401, null, T0);
                }
            });
        }
        drainer.start();
        for (Thread c : counters) {
            c.start();
        }
        for (Thread c : counters) {
            c.join();
        }
        drainer.join();
        tally.drain().forEach(c -> drained[0] += c.calls());
        assertThat(drained[0]).isEqualTo(100_000);
    }
}
