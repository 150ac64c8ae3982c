package io.starling.agent.install;

import io.starling.agent.state.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import org.jboss.logging.Logger;

/** Whole folder trees: removed without following links, or flushed to the disk. */
final class FileTrees {

    private static final Logger LOG = Logger.getLogger(FileTrees.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private FileTrees() {
    }

    /** {@link #delete}, logging instead of throwing: for clean-up that must not hide the real error. */
    static boolean deleteQuietly(Path path) {
        try {
            delete(path);
            return true;
        } catch (IOException e) {
            LOG.warnf(e, "Could not remove %s", path);
            return false;
        }
    }

    /**
     * {@code prefix} and a random suffix: the name of a sibling being built, which a leftover of
     * an attempt that crashed never collides with.
     */
    static String temporaryName(String prefix) {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }

    /**
     * Removes {@code root} and everything under it. Symbolic links inside (an install command may
     * make them) are removed, never followed. Folders a command made read-only are opened up first.
     */
    static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(root);
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (AtomicFiles.posix()) {
                    Set<PosixFilePermission> mode = EnumSet.copyOf(Files.getPosixFilePermissions(dir));
                    if (mode.addAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                            PosixFilePermission.OWNER_EXECUTE))) {
                        Files.setPosixFilePermissions(dir, mode);
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * Flushes every regular file and folder under {@code root} to the disk, whoever wrote them:
     * after this a crash cannot leave a file of the tree empty or missing.
     */
    static void sync(Path root) throws IOException {
        if (!AtomicFiles.posix()) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                        channel.force(true);
                    } catch (AccessDeniedException e) {
                        // A file the install command made unreadable to its own user: its business.
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                AtomicFiles.syncFolder(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
