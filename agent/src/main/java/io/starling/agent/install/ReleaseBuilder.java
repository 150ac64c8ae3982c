package io.starling.agent.install;

import io.starling.agent.install.InstallOutcome.Reason;
import io.starling.agent.state.AtomicFiles;
import io.starling.protocol.manifest.ArtifactEntry;
import io.starling.protocol.manifest.InstallSpec;
import io.starling.protocol.manifest.Manifest;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Builds a release folder in a partial folder beside its final place (artifacts hard-linked, the
 * install archive unpacked within its limits) and renames it into place.
 */
final class ReleaseBuilder {

    private final Installer.Options options;

    ReleaseBuilder(Installer.Options options) {
        this.options = options;
    }

    /**
     * @return a failure when the artifacts or the archive do not make a release; the partial
     *         folder is removed either way
     */
    Optional<InstallOutcome> build(Manifest manifest, InstallSpec spec, Path artifactsDir, Path productDir, Path release)
            throws IOException {
        Path partial = productDir.resolve(FileTrees.temporaryName("." + manifest.version() + ".partial-"));
        Files.createDirectory(partial);
        try {
            for (ArtifactEntry entry : manifest.artifacts()) {
                if (entry.name().equals(spec.archive())) {
                    continue;
                }
                Optional<String> problem = link(artifactsDir.resolve(entry.name()), entry, partial.resolve(entry.name()));
                if (problem.isPresent()) {
                    return Optional.of(InstallOutcome.failure(Reason.INSTALL_FAILED, problem.get(), null, null));
                }
            }
            if (spec.archive() != null) {
                Optional<InstallOutcome> failed = unpack(manifest, spec.archive(), artifactsDir, partial);
                if (failed.isPresent()) {
                    return failed;
                }
            }
            Files.move(partial, release, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.syncFolder(productDir);
            return Optional.empty();
        } finally {
            FileTrees.deleteQuietly(partial);
        }
    }

    private Optional<InstallOutcome> unpack(Manifest manifest, String archiveName, Path artifactsDir, Path partial)
            throws IOException {
        ArtifactEntry archive = manifest.artifacts().stream().filter(a -> a.name().equals(archiveName))
                .findFirst().orElse(null);
        if (archive == null) {
            return Optional.of(InstallOutcome.failure(Reason.BAD_ARCHIVE,
                    "install archive " + archiveName + " is not one of the artifacts", null, null));
        }
        Path file = artifactsDir.resolve(archive.name());
        if (!Files.isRegularFile(file)) {
            return Optional.of(InstallOutcome.failure(Reason.INSTALL_FAILED,
                    "artifact " + archive.name() + " is not in " + artifactsDir, null, null));
        }
        try {
            new ArchiveUnpacker(Installer.MARKER, unpackLimit(Files.size(file)), options.maxArchiveEntries())
                    .unpack(file, partial);
            return Optional.empty();
        } catch (BadArchiveException e) {
            return Optional.of(InstallOutcome.failure(Reason.BAD_ARCHIVE, archive.name() + ": " + e.getMessage(), null, null));
        }
    }

    /**
     * A hard link shares the artifact's bytes instead of copying them (releases are large), and
     * costs nothing: the seeded file and the installed one are the same inode. The trade-off is
     * that an install command writing into such a file in place would change the seeded bytes;
     * peers verify every piece against the torrent, so the damage stays on this machine.
     */
    private static Optional<String> link(Path source, ArtifactEntry entry, Path target) throws IOException {
        if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of("artifact " + entry.name() + " is not in " + source.getParent());
        }
        long size = Files.size(source);
        if (size != entry.size()) {
            return Optional.of("artifact " + entry.name() + " has " + size + " bytes, the manifest says " + entry.size());
        }
        try {
            Files.createLink(target, source);
        } catch (FileSystemException | UnsupportedOperationException e) {
            // Another file system (EXDEV), or one without hard links.
            Files.copy(source, target);
        }
        return Optional.empty();
    }

    private long unpackLimit(long archiveSize) {
        long byRatio = archiveSize > Long.MAX_VALUE / options.unpackRatio()
                ? Long.MAX_VALUE : archiveSize * options.unpackRatio();
        return Math.min(options.maxUnpackedBytes(), Math.max(byRatio, options.minUnpackLimit()));
    }
}
