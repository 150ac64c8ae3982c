package io.starling.protocol.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PieceLengthTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void smallFilesGetTheFloor() {
        assertThat(PieceLength.choose(0)).isEqualTo(256 * 1024);
        assertThat(PieceLength.choose(1)).isEqualTo(256 * 1024);
        assertThat(PieceLength.choose(100 * MIB)).isEqualTo(256 * 1024);
    }

    @Test
    void aGibibyteGetsMebibytePieces() {
        assertThat(PieceLength.choose(1024 * MIB)).isEqualTo(1024 * 1024);
    }

    @Test
    void hugeFilesGetTheCeiling() {
        assertThat(PieceLength.choose(200L * 1024 * MIB)).isEqualTo(16 * MIB);
    }

    @Test
    void betweenTheBoundsAFileHasOneToTwoThousandPieces() {
        for (long size = 256 * MIB; size <= 16L * 1024 * MIB; size = size * 3 / 2 + 12345) {
            int piece = PieceLength.choose(size);
            assertThat(Integer.bitCount(piece)).isEqualTo(1);
            assertThat((size + piece - 1) / piece).as("pieces of " + size).isBetween(1000L, 2000L);
        }
    }
}
