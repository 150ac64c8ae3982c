package io.starling.agent.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Files that are either wholly the old content or wholly the new, even if the machine loses power
 * halfway: the bytes go to a temporary file in the same folder, are flushed to the disk, and are
 * renamed over the target (rename(2) is atomic within a file system); the folder is then flushed
 * too, so that the rename itself survives a crash.
 */
public final class AtomicFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /** Replaces {@code file} with {@code bytes}, readable as the process's umask allows. */
    public static void write(Path file, byte[] bytes) throws IOException {
        write(file, bytes, false);
    }

    /**
     * Replaces {@code file} with {@code bytes}.
     *
     * @param ownerOnly the file gets mode 0600 from the moment it exists (it never holds the new
     *                  bytes with wider permissions), and a folder this call creates gets 0700
     */
    public static void write(Path file, byte[] bytes, boolean ownerOnly) throws IOException {
        Path target = file.toAbsolutePath();
        Path folder = target.getParent();
        createFolder(folder, ownerOnly);
        FileAttribute<?>[] attributes = ownerOnly && POSIX
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)}
                : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(folder, "." + target.getFileName() + ".", TEMP_SUFFIX, attributes);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        syncFolder(folder);
    }

    /** The file's bytes, or empty if there is no such file. */
    public static Optional<byte[]> read(Path file) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Creates {@code folder} and its missing parents.
     *
     * @param ownerOnly {@code folder} itself gets mode 0700, even if it existed already (parents
     *                  it creates get the same, since they did not exist before)
     */
    public static void createFolder(Path folder, boolean ownerOnly) throws IOException {
        if (ownerOnly && POSIX) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(OWNER_FOLDER));
            // createDirectories applies the umask and leaves an existing folder as it was.
            Files.setPosixFilePermissions(folder, OWNER_FOLDER);
        } else {
            Files.createDirectories(folder);
        }
    }

    /**
     * Flushes a folder's entries (creations, renames, deletions) to the disk. A no-op where the
     * platform cannot open a folder for this (Windows), which makes renames durable by itself.
     */
    public static void syncFolder(Path folder) throws IOException {
        if (!POSIX) {
            return;
        }
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /**
     * Deletes the temporary files that {@link #write} leaves behind only when the process dies
     * between creating and renaming one. Call it once, before the first write to {@code file}.
     */
    public static void removeLeftovers(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        Path folder = target.getParent();
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (DirectoryStream<Path> leftovers =
                     Files.newDirectoryStream(folder, "." + target.getFileName() + ".*" + TEMP_SUFFIX)) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
            }
        }
    }

    /** Whether this platform has POSIX permissions (owner-only modes are applied only there). */
    public static boolean posix() {
        return POSIX;
    }
}
