package io.starling.protocol.torrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.starling.protocol.testing.TestBytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hands our .torrent files to a real libtorrent (Debian's python3-libtorrent): it must build the
 * same info dictionaries and piece layers from the same bytes, and checking each data file
 * against our .torrent must end as a complete seed, which exercises every v1 piece hash and
 * every v2 piece-layer hash. Skipped where python3-libtorrent is not installed;
 * {@link HybridTorrentTest} holds the same facts frozen.
 */
class LibtorrentInteropTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("src/test/python/reference_torrents.py");

    @Test
    void libtorrentSeedsOurTorrentsAndBuildsIdenticalOnes(@TempDir Path dir) throws Exception {
        assumeTrue(libtorrentAvailable(), "python3-libtorrent is not installed");
        for (HybridTorrentTest.Case c : HybridTorrentTest.CASES) {
            byte[] data = TestBytes.pattern(c.size());
            HashResult h = ChunkedHash.of(data, c.pieceLength());
            byte[] info = TorrentMetainfo.infoDict(c.name() + ".bin", h);
            Files.write(dir.resolve(c.name() + ".bin"), data);
            Files.write(dir.resolve(c.name() + ".torrent"), TorrentMetainfo.torrent(info, h,
                    "http://127.0.0.1:9/announce/passkey", List.of("http://127.0.0.1:9/seed/"), "starling-test", 1_790_000_000L));
        }

        Process python = new ProcessBuilder(PYTHON.toString(), SCRIPT.toString(), "--check", dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(python.exitValue()).as(output).isZero();
        assertThat(output.lines().filter(l -> l.endsWith(" OK"))).hasSize(HybridTorrentTest.CASES.size());
    }

    private static boolean libtorrentAvailable() throws InterruptedException {
        if (!Files.isExecutable(PYTHON) || !Files.exists(SCRIPT)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import libtorrent").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
