package io.starling.agent.install;

import io.starling.agent.state.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Enumeration;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Unpacks a zip or tar.gz into a folder, refusing anything that could write outside it or fill
 * the disk.
 *
 * <ul>
 *   <li>The kind is told by the first bytes, not the name.</li>
 *   <li>Entry names must stay inside the folder: no absolute paths, drive letters, backslashes or
 *       {@code ..} segments, even ones that would normalise back inside.</li>
 *   <li>Only files and folders: symbolic links, hard links and devices are refused, so that no
 *       later entry can be written through a link placed by an earlier one.</li>
 *   <li>The bytes actually written (not the sizes the headers claim) and the number of entries
 *       are bounded, against zip bombs.</li>
 *   <li>A file keeps its executable bits; nothing else of its mode (no setuid, no world-write).</li>
 * </ul>
 *
 * <p>Zip goes through commons-compress's {@link ZipFile} rather than {@code java.util.zip}: only
 * it reads the Unix mode from the central directory, which is where zip keeps the executable
 * bit and marks symbolic links.
 */
final class ArchiveUnpacker {

    /** A top-level name the installer reserves: its presence marks a complete release folder. */
    private final String reservedName;
    private final long maxBytes;
    private final int maxEntries;

    private static final Set<PosixFilePermission> PLAIN = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");

    private long written;
    private int entries;

    ArchiveUnpacker(String reservedName, long maxBytes, int maxEntries) {
        this.reservedName = reservedName;
        this.maxBytes = maxBytes;
        this.maxEntries = maxEntries;
    }

    void unpack(Path archive, Path into) throws IOException, BadArchiveException {
        byte[] magic = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(archive)) {
            n = in.readNBytes(magic, 0, magic.length);
        }
        if (n >= 4 && magic[0] == 'P' && magic[1] == 'K'
                && ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6))) {
            unzip(archive, into);
        } else if (n >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            untarGz(archive, into);
        } else {
            throw new BadArchiveException(archive.getFileName() + " is neither a zip nor a tar.gz");
        }
    }

    private void unzip(Path archive, Path into) throws IOException, BadArchiveException {
        ZipFile zip;
        try {
            zip = ZipFile.builder().setPath(archive).get();
        } catch (IOException e) {
            throw new BadArchiveException(archive.getFileName() + " is not a readable zip: " + e.getMessage());
        }
        try (zip) {
            Enumeration<ZipArchiveEntry> all = zip.getEntriesInPhysicalOrder();
            while (all.hasMoreElements()) {
                ZipArchiveEntry entry = all.nextElement();
                Path target = target(into, entry.getName());
                if (entry.isUnixSymlink()) {
                    throw refused(entry.getName(), "is a symbolic link; archives may hold files and folders only");
                }
                if (entry.isDirectory()) {
                    createFolder(entry.getName(), target);
                    continue;
                }
                if (!zip.canReadEntryData(entry)) {
                    throw refused(entry.getName(), "uses a zip feature that cannot be read (encryption or an unknown compression)");
                }
                InputStream data;
                try {
                    data = zip.getInputStream(entry);
                } catch (IOException e) {
                    throw refused(entry.getName(), "cannot be read: " + e.getMessage());
                }
                try (data) {
                    writeFile(entry.getName(), data, target, entry.getUnixMode(), entry.getLastModifiedTime());
                }
            }
        }
    }

    private void untarGz(Path archive, Path into) throws IOException, BadArchiveException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(
                new BufferedInputStream(Files.newInputStream(archive), 1 << 16)))) {
            TarArchiveEntry entry;
            while ((entry = nextEntry(tar)) != null) {
                Path target = target(into, entry.getName());
                if (entry.isSymbolicLink() || entry.isLink()) {
                    throw refused(entry.getName(), "is a link; archives may hold files and folders only");
                }
                if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
                    throw refused(entry.getName(), "is a device or pipe; archives may hold files and folders only");
                }
                if (entry.isDirectory()) {
                    createFolder(entry.getName(), target);
                } else if (entry.isFile()) {
                    writeFile(entry.getName(), tar, target, entry.getMode(), entry.getLastModifiedTime());
                } else {
                    throw refused(entry.getName(), "is of an unsupported tar entry type");
                }
            }
        }
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar) throws BadArchiveException {
        try {
            return tar.getNextEntry();
        } catch (IOException | IllegalArgumentException e) {
            throw new BadArchiveException("the tar.gz is damaged: " + e.getMessage());
        }
    }

    /** Where an entry goes, if its name stays inside {@code root}. */
    private Path target(Path root, String name) throws BadArchiveException {
        if (++entries > maxEntries) {
            throw new BadArchiveException("more than " + maxEntries + " entries");
        }
        if (name == null || name.isEmpty() || name.indexOf('\0') >= 0 || name.indexOf('\\') >= 0) {
            throw refused(String.valueOf(name), "is not a usable path (empty, NUL or backslash)");
        }
        if (name.startsWith("/") || (name.length() >= 2 && name.charAt(1) == ':')) {
            throw refused(name, "is an absolute path; it would be written outside the release folder");
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                throw refused(name, "climbs out with '..'; it would be written outside the release folder");
            }
        }
        Path target = root.resolve(name).normalize();
        if (!target.startsWith(root)) {
            throw refused(name, "would be written outside the release folder");
        }
        if (target.equals(root.resolve(reservedName))) {
            throw refused(name, "uses a name the installer reserves");
        }
        return target;
    }

    private void writeFile(String name, InputStream data, Path target, int mode, FileTime modified)
            throws IOException, BadArchiveException {
        createFolder(name, target.getParent());
        byte[] buffer = new byte[1 << 16];
        // CREATE_NEW (O_EXCL) never follows a link and never overwrites: a name seen twice is refused.
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (true) {
                int n;
                try {
                    n = data.read(buffer);
                } catch (IOException e) {
                    throw refused(name, "cannot be read: " + e.getMessage());
                }
                if (n < 0) {
                    break;
                }
                written += n;
                if (written > maxBytes) {
                    throw new BadArchiveException("unpacks to more than " + maxBytes + " bytes");
                }
                out.write(buffer, 0, n);
            }
        } catch (FileAlreadyExistsException e) {
            throw refused(name, "appears twice, or has the name of an artifact");
        }
        if (AtomicFiles.posix()) {
            Files.setPosixFilePermissions(target, (mode & 0111) != 0 ? EXECUTABLE : PLAIN);
        }
        if (modified != null && modified.toMillis() > 0) {
            Files.setLastModifiedTime(target, modified);
        }
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            throw refused(name, "did not end up as a regular file");
        }
    }

    private static void createFolder(String name, Path folder) throws IOException, BadArchiveException {
        try {
            Files.createDirectories(folder);
        } catch (FileAlreadyExistsException e) {
            throw refused(name, "needs a folder where the archive already put a file");
        }
    }

    private static BadArchiveException refused(String name, String why) {
        return new BadArchiveException("archive entry '" + name + "' " + why);
    }
}
