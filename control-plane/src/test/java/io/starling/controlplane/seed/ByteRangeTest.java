package io.starling.controlplane.seed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    private static final long SIZE = 1000;

    @Test
    void noHeaderMeansTheWholeFile() {
        assertThat(ByteRange.decide(null, SIZE)).isInstanceOf(ByteRange.Whole.class);
    }

    @Test
    void firstByte() {
        assertThat(ByteRange.decide("bytes=0-0", SIZE)).isEqualTo(new ByteRange.Partial(new ByteRange(0, 0)));
    }

    @Test
    void openEndedRangeRunsToTheEnd() {
        assertThat(ByteRange.decide("bytes=990-", SIZE)).isEqualTo(new ByteRange.Partial(new ByteRange(990, 999)));
    }

    @Test
    void rangePastTheEndIsClipped() {
        assertThat(ByteRange.decide("bytes=500-5000", SIZE)).isEqualTo(new ByteRange.Partial(new ByteRange(500, 999)));
    }

    @Test
    void suffixRangeGivesTheLastBytes() {
        assertThat(ByteRange.decide("bytes=-10", SIZE)).isEqualTo(new ByteRange.Partial(new ByteRange(990, 999)));
        assertThat(ByteRange.decide("bytes=-5000", SIZE)).isEqualTo(new ByteRange.Partial(new ByteRange(0, 999)));
    }

    @Test
    void startBeyondTheFileIsUnsatisfiable() {
        assertThat(ByteRange.decide("bytes=1000-", SIZE)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThat(ByteRange.decide("bytes=-0", SIZE)).isInstanceOf(ByteRange.Unsatisfiable.class);
    }

    @Test
    void malformedOrMultipleRangesAreIgnored() {
        assertThat(ByteRange.decide("bytes=5-1", SIZE)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.decide("bytes=0-1,5-6", SIZE)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.decide("items=0-1", SIZE)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.decide("bytes=99999999999999999999-", SIZE)).isInstanceOf(ByteRange.Whole.class);
    }
}
