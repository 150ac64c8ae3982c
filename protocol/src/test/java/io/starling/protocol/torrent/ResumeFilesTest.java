package io.starling.protocol.torrent;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.protocol.testing.TestBytes;
import io.starling.protocol.testing.TestTorrent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libtorrent4j.AddTorrentParams;
import org.libtorrent4j.TorrentInfo;
import org.libtorrent4j.swig.add_torrent_params;

class ResumeFilesTest {

    private static final String FALLBACK = "the torrent is added without it";

    @TempDir
    Path dir;

    @Test
    void writtenResumeDataReadsBackForItsOwnTorrent() throws Exception {
        ResumeFiles files = ResumeFiles.open(dir.resolve("resume"), FALLBACK);
        Torrent a = torrent("a.bin", 40_000);

        files.write(a.infoHash(), a.resumeData(7));

        assertThat(files.file(a.infoHash())).hasFileName(a.infoHash() + ".resume").isRegularFile();
        assertThat(files.infoHashes()).containsExactly(a.infoHash());
        add_torrent_params p = files.read(a.infoHash()).orElseThrow();
        assertThat(p.getInfo_hashes().getV1().to_hex()).isEqualTo(a.infoHash());
        assertThat(p.getTotal_uploaded()).isEqualTo(7);
    }

    @Test
    void aSecondWriteReplacesTheFileAndLeavesNoTemporaryFile() throws Exception {
        ResumeFiles files = ResumeFiles.open(dir, FALLBACK);
        Torrent a = torrent("a.bin", 40_000);

        files.write(a.infoHash(), a.resumeData(1));
        files.write(a.infoHash(), a.resumeData(2));

        assertThat(files.read(a.infoHash()).orElseThrow().getTotal_uploaded()).isEqualTo(2);
        assertThat(namesIn(dir)).containsExactly(a.infoHash() + ".resume");
    }

    @Test
    void aTornFileIsIgnored() throws Exception {
        ResumeFiles files = ResumeFiles.open(dir, FALLBACK);
        Torrent a = torrent("a.bin", 40_000);
        byte[] whole = a.resumeData(1);
        Files.write(files.file(a.infoHash()), Arrays.copyOf(whole, whole.length / 2));

        assertThat(files.read(a.infoHash())).isEmpty();
    }

    @Test
    void anotherTorrentsResumeDataIsIgnored() throws Exception {
        ResumeFiles files = ResumeFiles.open(dir, FALLBACK);
        Torrent a = torrent("a.bin", 40_000);
        Torrent b = torrent("b.bin", 50_000);
        Files.write(files.file(b.infoHash()), a.resumeData(1)); // copied or renamed by hand

        assertThat(files.read(b.infoHash())).isEmpty();
        assertThat(files.read(a.infoHash())).isEmpty(); // and no file of its own
    }

    @Test
    void openingDeletesTemporaryFilesACrashLeftAndKeepsResumeFiles() throws Exception {
        Torrent a = torrent("a.bin", 40_000);
        ResumeFiles.open(dir, FALLBACK).write(a.infoHash(), a.resumeData(3));
        Files.writeString(dir.resolve(a.infoHash() + ".resume123456.tmp"), "half");

        ResumeFiles files = ResumeFiles.open(dir, FALLBACK);

        assertThat(namesIn(dir)).containsExactly(a.infoHash() + ".resume");
        assertThat(files.read(a.infoHash())).isPresent();
    }

    private static List<String> namesIn(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    private record Torrent(TorrentInfo info) {
        String infoHash() {
            return info.infoHashes().getV1().toHex();
        }

        /** What libtorrent's save_resume_data_alert hands over, with an upload count to tell writes apart. */
        byte[] resumeData(long uploaded) {
            add_torrent_params p = new add_torrent_params();
            p.set_ti(info.swig());
            p.setInfo_hashes(info.swig().info_hashes());
            p.setTotal_uploaded(uploaded);
            return AddTorrentParams.writeResumeDataBuf(new AddTorrentParams(p));
        }
    }

    private static Torrent torrent(String name, int size) {
        Libtorrent.load();
        return new Torrent(new TorrentInfo(TestTorrent.of(name, TestBytes.pattern(size)).build().torrent()));
    }
}
