package io.starling.agent.install;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The release folders in a product's folder: which are complete (they hold {@value Installer#MARKER}),
 * which to keep, and what a crashed install left behind.
 */
final class ReleaseFolders {

    private static final Logger LOG = Logger.getLogger(ReleaseFolders.class);

    private ReleaseFolders() {
    }

    static boolean complete(Path release) {
        return Files.isDirectory(release, LinkOption.NOFOLLOW_LINKS)
                && Files.isRegularFile(release.resolve(Installer.MARKER), LinkOption.NOFOLLOW_LINKS);
    }

    /** Every release folder, complete or not: neither hidden nor the {@code current} link. */
    static List<Path> list(Path productDir) throws IOException {
        if (!Files.isDirectory(productDir)) {
            return List.of();
        }
        List<Path> folders = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(productDir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.startsWith(".") && !name.equals(Installer.CURRENT)
                        && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    folders.add(entry);
                }
            }
        }
        return folders;
    }

    /**
     * Keeps the active release, the previous one and then the most recently installed others, up
     * to {@code keepVersions} in all; removes the rest, and release folders a crash left incomplete.
     *
     * @return the complete releases removed
     */
    static List<String> prune(Path productDir, String active, String previous, int keepVersions) {
        Set<String> keep = new LinkedHashSet<>();
        keep.add(active);
        List<Path> others = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        try {
            for (Path folder : list(productDir)) {
                String name = folder.getFileName().toString();
                if (name.equals(active)) {
                    continue;
                }
                if (!complete(folder)) {
                    FileTrees.deleteQuietly(folder);
                } else if (name.equals(previous) && keep.size() < keepVersions) {
                    keep.add(name);
                } else {
                    others.add(folder);
                }
            }
            others.sort(Comparator.comparing(ReleaseFolders::installedAt).reversed());
            for (Path folder : others) {
                String name = folder.getFileName().toString();
                if (keep.size() < keepVersions) {
                    keep.add(name);
                } else if (FileTrees.deleteQuietly(folder)) {
                    removed.add(name);
                }
            }
        } catch (IOException e) {
            LOG.warnf(e, "Could not list %s to remove old releases", productDir);
        }
        return removed;
    }

    /** Partial folders and temporary links that an install interrupted by a crash left behind. */
    static void removeLeftovers(Path productDir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(productDir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if ((name.startsWith(".") && name.contains(".partial-")) || name.startsWith(".current-")) {
                    LOG.infof("Removing %s, left by an install that did not finish", entry);
                    FileTrees.delete(entry);
                }
            }
        }
    }

    private static FileTime installedAt(Path release) {
        try {
            return Files.getLastModifiedTime(release.resolve(Installer.MARKER));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
