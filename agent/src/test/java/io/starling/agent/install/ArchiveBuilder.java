package io.starling.agent.install;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Real zip and tar.gz archives, entry by entry, including the hostile entries a test needs. */
final class ArchiveBuilder {

    private record Entry(String name, byte[] content, int mode, String linkTarget) {
    }

    private final List<Entry> entries = new ArrayList<>();

    static ArchiveBuilder archive() {
        return new ArchiveBuilder();
    }

    ArchiveBuilder file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    ArchiveBuilder executable(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), 0755);
    }

    ArchiveBuilder file(String name, byte[] content, int mode) {
        entries.add(new Entry(name, content, mode, null));
        return this;
    }

    ArchiveBuilder symlink(String name, String target) {
        entries.add(new Entry(name, new byte[0], 0777, target));
        return this;
    }

    byte[] tarGz() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry e : entries) {
                TarArchiveEntry entry;
                if (e.linkTarget() != null) {
                    entry = new TarArchiveEntry(e.name(), TarArchiveEntry.LF_SYMLINK);
                    entry.setLinkName(e.linkTarget());
                } else {
                    // The String constructor normalises names (drops a leading '/'); hostile names need the raw one.
                    entry = new TarArchiveEntry(e.name(), true);
                    entry.setSize(e.content().length);
                }
                entry.setMode(e.mode());
                tar.putArchiveEntry(entry);
                tar.write(e.content());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    byte[] zip() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(bytes)) {
            for (Entry e : entries) {
                ZipArchiveEntry entry = new ZipArchiveEntry(e.name());
                byte[] content = e.content();
                if (e.linkTarget() != null) {
                    entry.setUnixMode(0120777);
                    content = e.linkTarget().getBytes(StandardCharsets.UTF_8);
                } else {
                    entry.setUnixMode(0100000 | e.mode());
                }
                zip.putArchiveEntry(entry);
                zip.write(content);
                zip.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
