package io.starling.agent.verify;

import static io.starling.agent.verify.ReleaseVerifierTest.assertRejected;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.protocol.manifest.ArtifactEntry;
import io.starling.protocol.manifest.ManifestRejectedException.Reason;
import io.starling.protocol.testing.ManifestBuilder;
import io.starling.protocol.testing.TestBytes;
import io.starling.protocol.testing.TestTorrent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactCheckTest {

    private static final byte[] BYTES = TestBytes.pattern(100_000);
    private static final ArtifactEntry ENTRY = TestTorrent.of("editor.tar.gz", BYTES).build().entry();

    @TempDir
    Path dir;

    @Test
    void theBytesTheManifestNamesPass() throws Exception {
        Path file = Files.write(dir.resolve("editor.tar.gz"), BYTES);

        assertThatCode(() -> ArtifactCheck.verify(ENTRY, file)).doesNotThrowAnyException();
        assertThatCode(() -> ArtifactCheck.verifyAll(ManifestBuilder.manifest().artifacts(ENTRY).build(), dir))
                .doesNotThrowAnyException();
    }

    @Test
    void oneFlippedByteIsABadArtifact() throws Exception {
        byte[] flipped = BYTES.clone();
        flipped[54_321] ^= 0x01;
        Path file = Files.write(dir.resolve("editor.tar.gz"), flipped);

        assertRejected(() -> ArtifactCheck.verify(ENTRY, file), Reason.BAD_ARTIFACT);
        assertThatThrownBy(() -> ArtifactCheck.verify(ENTRY, file)).hasMessageStartingWith("editor.tar.gz: SHA-256");
    }

    @Test
    void aFileOfAnotherSizeIsRefusedBeforeItIsHashed() throws Exception {
        Path longer = Files.write(dir.resolve("longer"), Arrays.copyOf(BYTES, BYTES.length + 1));
        Path shorter = Files.write(dir.resolve("shorter"), Arrays.copyOf(BYTES, BYTES.length - 1));

        assertRejected(() -> ArtifactCheck.verify(ENTRY, longer), Reason.BAD_ARTIFACT);
        assertRejected(() -> ArtifactCheck.verify(ENTRY, shorter), Reason.BAD_ARTIFACT);
        assertThatThrownBy(() -> ArtifactCheck.verify(ENTRY, longer))
                .hasMessage("editor.tar.gz: 100001 bytes, the manifest says 100000");
    }

    @Test
    void aMissingFileOrASymbolicLinkIsABadArtifact() throws Exception {
        Path real = Files.write(dir.resolve("real"), BYTES);
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);

        assertRejected(() -> ArtifactCheck.verify(ENTRY, dir.resolve("absent")), Reason.BAD_ARTIFACT);
        assertRejected(() -> ArtifactCheck.verify(ENTRY, link), Reason.BAD_ARTIFACT);
    }
}
