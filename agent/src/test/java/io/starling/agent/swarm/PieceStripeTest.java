package io.starling.agent.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.Stripe;
import io.starling.protocol.testing.TestBytes;
import io.starling.protocol.testing.TestTorrent;
import io.starling.protocol.torrent.Libtorrent;
import io.starling.protocol.torrent.PieceLength;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libtorrent4j.TorrentInfo;
import org.libtorrent4j.swig.byte_vector;

/** The control plane's stripe hint as libtorrent piece priorities. */
class PieceStripeTest {

    @TempDir
    Path dir;

    @Test
    void inOneOfficeAgentKOfNAsksFirstForPiecesKModN() {
        byte[] p = PieceStripe.priorities(new Stripe(2, 4, 0, 1), 10);
        assertThat(p).containsExactly(6, 6, 7, 6, 6, 6, 7, 6, 6, 6);
    }

    @Test
    void withSeveralOfficesAnAgentPrefersItsOfficesStripeAndItsOwnShareOfItMost() {
        // Site 1 of 2 holds the odd pieces; agent 0 of 2 there owns 1, 5, 9; agent 1 owns 3, 7.
        assertThat(PieceStripe.priorities(new Stripe(0, 2, 1, 2), 10)).containsExactly(4, 7, 4, 6, 4, 7, 4, 6, 4, 7);
        assertThat(PieceStripe.priorities(new Stripe(1, 2, 1, 2), 10)).containsExactly(4, 6, 4, 7, 4, 6, 4, 7, 4, 6);
    }

    @Test
    void aHintThatCannotBeFollowedIsIgnoredAndNoPieceIsEverLeftOut() {
        assertThat(PieceStripe.priorities(null, 10)).isNull();
        assertThat(PieceStripe.priorities(new Stripe(5, 5, 0, 1), 10)).as("index out of range").isNull();
        assertThat(PieceStripe.priorities(new Stripe(0, 0, 0, 1), 10)).isNull();
        assertThat(PieceStripe.priorities(new Stripe(-1, 3, 0, 1), 10)).isNull();
        assertThat(PieceStripe.priorities(new Stripe(0, 1, 0, Stripe.MAX_COUNT + 1), 10)).isNull();
        assertThat(PieceStripe.priorities(new Stripe(0, 1000, 3, 7), 10)).doesNotContain((byte) 0);
    }

    @Test
    void aDownloadWithAStripeEntersLibtorrentWithItsPiecePriorities() throws Exception {
        Libtorrent.load();
        int piece = PieceLength.MIN;
        TestTorrent t = TestTorrent.of("stripe.bin", TestBytes.random(6 * piece)).pieceLength(piece).build();
        TorrentInfo ti = new TorrentInfo(t.torrent());
        Stripe stripe = new Stripe(1, 3, 0, 1);
        SwarmDownload d = new SwarmDownload(null, ti.infoHashes().getV1().toHex(), ti, dir, BytesBySource.NONE, stripe);

        byte_vector priorities = SwarmAddParams.of(d, null, false).get_piece_priorities();

        assertThat(priorities).containsExactly((byte) 6, (byte) 7, (byte) 6, (byte) 6, (byte) 7, (byte) 6);
        SwarmDownload plain = new SwarmDownload(null, ti.infoHashes().getV1().toHex(), ti, dir, BytesBySource.NONE, null);
        assertThat(SwarmAddParams.of(plain, null, false).get_piece_priorities()).isEmpty();
    }
}
