package io.starling.agent.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writtenBytesReadBack() throws Exception {
        Path file = dir.resolve("a/b/state.json");
        AtomicFiles.write(file, bytes("first"));
        AtomicFiles.write(file, bytes("second"));

        assertThat(AtomicFiles.read(file)).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("second")));
    }

    @Test
    void readingAMissingFileIsEmpty() throws Exception {
        assertThat(AtomicFiles.read(dir.resolve("nothing.json"))).isEmpty();
    }

    @Test
    void replacingAFileLeavesNoTemporaryFileBehind() throws Exception {
        Path file = dir.resolve("state.json");
        for (int i = 0; i < 5; i++) {
            AtomicFiles.write(file, bytes("version " + i));
        }

        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void ownerOnlyFilesAndFoldersAreClosedToOthers() throws Exception {
        assumeTrue(AtomicFiles.posix());
        Path folder = dir.resolve("state");
        Path file = folder.resolve("secret.json");

        AtomicFiles.write(file, bytes("{}"), true);
        AtomicFiles.write(file, bytes("{\"again\":1}"), true);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
    }

    @Test
    void temporaryFilesOfACrashedWriteAreRemoved() throws Exception {
        Path file = dir.resolve("state.json");
        AtomicFiles.write(file, bytes("kept"));
        Path leftover = Files.writeString(dir.resolve(".state.json.12345.tmp"), "half");
        Path unrelated = Files.writeString(dir.resolve(".other.json.1.tmp"), "not ours");

        AtomicFiles.removeLeftovers(file);

        assertThat(leftover).doesNotExist();
        assertThat(unrelated).exists();
        assertThat(file).hasContent("kept");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
