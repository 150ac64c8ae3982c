package io.starling.e2e.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RarestFirstTest {

    private static BitSet bits(int... set) {
        BitSet b = new BitSet();
        for (int i : set) {
            b.set(i);
        }
        return b;
    }

    @Test
    void picksThePieceFewestPeersHave() {
        short[] availability = {3, 1, 2, 5};

        int p = RarestFirst.pick(bits(0, 1, 2, 3), bits(), bits(), bits(), availability, new SplittableRandom(1));

        assertThat(p).isEqualTo(1);
    }

    @Test
    void onlyAmongWhatTheUploaderHasAndTheDownloaderLacks() {
        short[] availability = {1, 1, 2, 4};

        // Piece 0 the downloader has, piece 1 the uploader lacks: of 2 and 3, 2 is rarer.
        int p = RarestFirst.pick(bits(0, 2, 3), bits(0), bits(), bits(), availability, new SplittableRandom(1));

        assertThat(p).isEqualTo(2);
    }

    @Test
    void skipsPiecesAlreadyInFlightWhileOthersRemain() {
        short[] availability = {1, 4};

        int p = RarestFirst.pick(bits(0, 1), bits(), bits(0), bits(), availability, new SplittableRandom(1));

        assertThat(p).isEqualTo(1);
    }

    @Test
    void inTheEndGameFetchesAPieceInFlightAgain() {
        short[] availability = {1, 4};

        int p = RarestFirst.pick(bits(0, 1), bits(1), bits(0), bits(), availability, new SplittableRandom(1));

        assertThat(p).isZero();
    }

    @Test
    void neverFetchesOnePieceThreeTimesAtOnce() {
        short[] availability = {1, 4};

        int p = RarestFirst.pick(bits(0, 1), bits(1), bits(0), bits(0), availability, new SplittableRandom(1));

        assertThat(p).isEqualTo(-1);
    }

    @Test
    void nothingWantedIsMinusOne() {
        assertThat(RarestFirst.pick(bits(0, 1), bits(0, 1), bits(), bits(), new short[2], new SplittableRandom(1))).isEqualTo(-1);
    }

    @Test
    void equallyRarePiecesAreChosenAtRandomSoNeighboursSpread() {
        short[] availability = new short[4];
        int[] chosen = new int[4];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 4000; i++) {
            chosen[RarestFirst.pick(bits(0, 1, 2, 3), bits(), bits(), bits(), availability, random)]++;
        }

        for (int n : chosen) {
            assertThat(n).isBetween(850, 1150);
        }
    }
}
