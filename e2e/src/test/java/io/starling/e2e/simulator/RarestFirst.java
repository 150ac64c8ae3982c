package io.starling.e2e.simulator;

import java.util.BitSet;
import java.util.random.RandomGenerator;

/**
 * libtorrent's default piece picker, reduced to what moves bytes: among the pieces the uploader
 * has and the downloader lacks, the one fewest of the downloader's peers hold (availability as
 * the downloader sees it from its peers' bitfields and HAVEs), ties broken at random. Pieces
 * already being fetched from another peer are skipped unless nothing else is left (end game:
 * then a piece in flight may be fetched a second time, never a third, and the first copy to
 * arrive wins). libtorrent duplicates 16 KiB blocks in its end game, not whole pieces; with whole
 * pieces, unbounded duplicates would waste more the larger the pieces.
 */
public final class RarestFirst {

    private RarestFirst() {
    }

    /**
     * @param uploaderHas      pieces the uploader has, as the downloader sees them
     * @param downloaderHas    pieces the downloader has
     * @param inFlight         pieces the downloader is fetching from some peer now
     * @param doubled          pieces it is fetching from two peers already
     * @param availability     per piece, how many of the downloader's peers have it
     * @return the piece to request, or -1 when the uploader has nothing the downloader wants
     */
    public static int pick(BitSet uploaderHas, BitSet downloaderHas, BitSet inFlight, BitSet doubled,
            short[] availability, RandomGenerator random) {
        int best = pick(uploaderHas, downloaderHas, inFlight, doubled, availability, random, false);
        return best >= 0 ? best : pick(uploaderHas, downloaderHas, inFlight, doubled, availability, random, true);
    }

    private static int pick(BitSet uploaderHas, BitSet downloaderHas, BitSet inFlight, BitSet doubled,
            short[] availability, RandomGenerator random, boolean endGame) {
        int best = -1;
        int bestAvailability = Integer.MAX_VALUE;
        int ties = 0;
        for (int p = uploaderHas.nextSetBit(0); p >= 0; p = uploaderHas.nextSetBit(p + 1)) {
            if (downloaderHas.get(p) || inFlight.get(p) != endGame || doubled.get(p)) {
                continue;
            }
            int a = availability[p];
            if (a < bestAvailability) {
                best = p;
                bestAvailability = a;
                ties = 1;
            } else if (a == bestAvailability && random.nextInt(++ties) == 0) {
                best = p; // reservoir sampling: each of the equally rare is as likely
            }
        }
        return best;
    }
}
