package io.starling.agent.verify;

import static io.starling.agent.verify.ReleaseVerifierTest.assertRejected;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.protocol.bencode.Bencode;
import io.starling.protocol.manifest.ArtifactEntry;
import io.starling.protocol.manifest.ManifestRejectedException.Reason;
import io.starling.protocol.testing.TestBytes;
import io.starling.protocol.testing.TestTorrent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TorrentCheckTest {

    private static final byte[] BYTES = TestBytes.pattern(100_000);
    private static final ArtifactEntry ENTRY = TestTorrent.of("editor.tar.gz", BYTES).build().entry();

    @Test
    void theTorrentOfTheSignedArtifactPasses() {
        assertThatCode(() -> TorrentCheck.verify(ENTRY, torrent("editor.tar.gz", BYTES)))
                .doesNotThrowAnyException();
    }

    @Test
    void aTorrentForOtherBytesIsABadArtifact() {
        byte[] other = BYTES.clone();
        other[99_999] ^= 0x01;

        assertRejected(() -> TorrentCheck.verify(ENTRY, torrent("editor.tar.gz", other)), Reason.BAD_ARTIFACT);
        assertThatThrownBy(() -> TorrentCheck.verify(ENTRY, torrent("editor.tar.gz", other)))
                .hasMessageStartingWith("editor.tar.gz: torrent's v1 info-hash");
    }

    @Test
    void aTorrentNamingAnotherFileIsABadArtifactEvenWithMatchingHashes() {
        ArtifactEntry renamed = TestTorrent.of("other.tar.gz", BYTES).build().entry();
        ArtifactEntry lying = new ArtifactEntry("editor.tar.gz", renamed.size(), renamed.sha256(),
                renamed.infoHashV1(), renamed.infoHashV2(), renamed.pieceLength());

        assertThatThrownBy(() -> TorrentCheck.verify(lying, torrent("other.tar.gz", BYTES)))
                .hasMessage("editor.tar.gz: torrent names the file other.tar.gz");
    }

    @Test
    void garbageOrANonCanonicalTorrentIsABadArtifact() {
        byte[] good = torrent("editor.tar.gz", BYTES);
        byte[] truncated = Arrays.copyOf(good, good.length - 1);
        // Same content with the top-level keys out of order: its info span cannot be recovered by re-encoding.
        String unsorted = "d4:infod4:name3:abce8:announce3:urle";

        assertRejected(() -> TorrentCheck.verify(ENTRY, truncated), Reason.BAD_ARTIFACT);
        assertRejected(() -> TorrentCheck.verify(ENTRY, unsorted.getBytes(StandardCharsets.US_ASCII)), Reason.BAD_ARTIFACT);
        assertRejected(() -> TorrentCheck.verify(ENTRY, Bencode.encode(Map.of("announce", "x"))), Reason.BAD_ARTIFACT);
        assertRejected(() -> TorrentCheck.verify(ENTRY, "le".getBytes(StandardCharsets.US_ASCII)), Reason.BAD_ARTIFACT);
    }

    /** A per-agent .torrent for {@code bytes}, with an announce URL and a web seed as the control plane sends. */
    private static byte[] torrent(String name, byte[] bytes) {
        return TestTorrent.of(name, bytes).announce("https://starling.example.com/announce/pk-abc")
                .webSeeds(List.of("https://starling.example.com/seed/")).build().torrent();
    }
}
