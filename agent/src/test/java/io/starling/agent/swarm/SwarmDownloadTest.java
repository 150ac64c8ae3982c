package io.starling.agent.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.PeerSources;
import io.starling.protocol.testing.TestBytes;
import io.starling.protocol.testing.TestTorrent;
import io.starling.protocol.torrent.Libtorrent;
import io.starling.protocol.torrent.PieceLength;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libtorrent4j.TorrentInfo;

/** Counting bytes by source, from block alerts, without a libtorrent session. */
class SwarmDownloadTest {

    private static final int BLOCK = 16 * 1024;
    private static final int PIECE = PieceLength.MIN;
    private static final SourceClassifier SITE =
            SourceClassifier.of(new PeerSources(List.of("10.1.0.0/16"), List.of("10.9.0.1:6881")));

    @TempDir
    Path dir;

    @Test
    void aSenderWhoseConnectionClosedBeforeThePeerListWasReadIsCountedAsAPeerAtTheSecondHousekeepingPass()
            throws Exception {
        SwarmDownload d = download();
        // A whole piece from a neighbour whose connection ended at once (two seeds part ways):
        // the peer list never listed it, so nothing says whether it was a web seed.
        for (int block = 0; block < PIECE / BLOCK; block++) {
            d.blockReceived("10.1.0.7", 6881, 0, block);
        }

        d.settle(SITE, false);
        assertThat(d.counted().total()).as("first pass: the peer list may still tell").isZero();
        d.settle(SITE, false);
        assertThat(d.counted()).isEqualTo(new BytesBySource(PIECE, 0, 0, 0));
        assertThat(d.hasUncounted()).isFalse();

        // A later block from the same neighbour waits its pass again, and is counted too.
        d.blockReceived("10.1.0.7", 6881, 1, 0);
        d.settle(SITE, false);
        d.settle(SITE, false);
        assertThat(d.counted().sameSitePeers()).isEqualTo(PIECE + BLOCK);
    }

    @Test
    void theLastPieceCountsOnlyItsRealBytes() throws Exception {
        SwarmDownload d = download();
        int lastPiece = (int) (SIZE / PIECE);
        int lastBytes = (int) (SIZE % PIECE);
        for (int block = 0; block < PIECE / BLOCK; block++) {
            d.blockReceived("192.0.2.4", 6881, lastPiece, block); // other site
        }
        d.settle(SITE, true);
        assertThat(d.counted()).isEqualTo(new BytesBySource(0, lastBytes, 0, 0));
    }

    private static final int SIZE = 3 * PIECE + 5000;

    private SwarmDownload download() throws Exception {
        Libtorrent.load(); // TorrentInfo parses in native code
        TestTorrent t = TestTorrent.of("count.bin", TestBytes.random(SIZE)).pieceLength(PIECE).build();
        t.writeInto(dir);
        TorrentInfo ti = new TorrentInfo(t.torrent());
        return new SwarmDownload(null, ti.infoHashes().getV1().toHex(), ti, dir, BytesBySource.NONE, null);
    }
}
