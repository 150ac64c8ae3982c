package io.starling.agent.install;

import io.starling.agent.install.InstallOutcome.Reason;
import io.starling.agent.state.AtomicFiles;
import io.starling.agent.state.ConfinedPaths;
import io.starling.protocol.manifest.ArtifactEntry;
import io.starling.protocol.manifest.InstallSpec;
import io.starling.protocol.manifest.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Installs verified releases under one root, so that a product's {@code current} link only ever
 * points at a complete release that passed its install command and health check:
 *
 * <pre>
 * &lt;root&gt;/&lt;product&gt;/
 *   current -&gt; 2.4.1                 symbolic link, relative, swapped with rename(2)
 *   2.4.1/                           the active release
 *   2.4.0/                           the previous one, kept for a quick way back
 *   .2.5.0.partial-3f9a…/            being built; removed by the next install if a crash left it
 * </pre>
 *
 * <p>A release folder is built beside its final place (artifacts hard-linked, archive unpacked),
 * renamed into place, and only then is the install command run, so that the command sees the
 * path the release will live at (installers write it into scripts, virtualenvs and service
 * files). The folder counts as complete once the marker file {@value #MARKER} is written, after
 * the command succeeded and everything in the folder was flushed to the disk; a folder without
 * it is never activated, and is rebuilt or removed by the next install.
 *
 * <p>Installs are serialised (one at a time per installer). Expected failures come back as an
 * {@link InstallOutcome}; this class never throws for them.
 */
public final class Installer {

    /** Written last into a release folder: the folder is complete. */
    public static final String MARKER = ".starling-release";
    public static final String CURRENT = "current";

    private static final Logger LOG = Logger.getLogger(Installer.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * @param keepVersions              release folders kept per product: the active one, then
     *                                  the previous one, then the newest others (at least 1)
     * @param unpackRatio               an archive may unpack to this many times its size...
     * @param minUnpackLimit            ...but always to at least this many bytes (small archives)...
     * @param maxUnpackedBytes          ...and never to more than this
     * @param maxArchiveEntries         entries per archive
     * @param healthCheckTimeoutSeconds for a health check when the manifest sets no timeout
     */
    public record Options(int keepVersions, int unpackRatio, long minUnpackLimit, long maxUnpackedBytes,
                          int maxArchiveEntries, int healthCheckTimeoutSeconds) {

        public static final Options DEFAULT =
                new Options(2, 10, 64L << 20, 64L << 30, 100_000, 60);

        public Options {
            if (keepVersions < 1 || unpackRatio < 1 || minUnpackLimit < 0 || maxUnpackedBytes < 1
                    || maxArchiveEntries < 1 || healthCheckTimeoutSeconds < 1) {
                throw new IllegalArgumentException("installer options must be positive: " + this);
            }
        }

        public Options withKeepVersions(int value) {
            return new Options(value, unpackRatio, minUnpackLimit, maxUnpackedBytes, maxArchiveEntries,
                    healthCheckTimeoutSeconds);
        }

        public Options withMaxUnpackedBytes(long value) {
            return new Options(keepVersions, unpackRatio, Math.min(minUnpackLimit, value), value,
                    maxArchiveEntries, healthCheckTimeoutSeconds);
        }
    }

    private final Path root;
    private final Options options;

    public Installer(Path root) {
        this(root, Options.DEFAULT);
    }

    public Installer(Path root, Options options) {
        this.root = root.toAbsolutePath().normalize();
        this.options = Objects.requireNonNull(options, "options");
    }

    public Path root() {
        return root;
    }

    /** The version the product's {@code current} link points at, if any. */
    public Optional<String> activeVersion(String product) throws IOException {
        return currentTarget(ConfinedPaths.under(root, product)).map(t -> t.getFileName().toString());
    }

    /** The product's complete release folders, by name. */
    public List<String> versions(String product) throws IOException {
        return releaseFolders(ConfinedPaths.under(root, product)).stream().filter(Installer::complete)
                .map(p -> p.getFileName().toString()).sorted().toList();
    }

    /**
     * Installs and activates {@code manifest}'s release.
     *
     * @param artifactsDir holds every artifact of the manifest, verified, under its manifest
     *                     name; they stay there (they are seeded) and are hard-linked into the
     *                     release folder, or copied where a link cannot be made
     */
    public synchronized InstallOutcome install(Manifest manifest, Path artifactsDir) {
        String product = manifest.product();
        String version = manifest.version();
        if (!ArtifactEntry.isSafeName(product) || !ArtifactEntry.isSafeName(version)
                || version.equals(CURRENT)) {
            return InstallOutcome.failure(Reason.INSTALL_FAILED, "unsafe product or version name", null, null);
        }
        InstallSpec spec = manifest.install() == null ? new InstallSpec(null, null, null, null) : manifest.install();
        Path productDir;
        Path release;
        try {
            productDir = ConfinedPaths.under(root, product);
            release = ConfinedPaths.under(root, product, version);
        } catch (ConfinedPaths.EscapeException e) {
            return InstallOutcome.failure(Reason.INSTALL_FAILED, e.getMessage(), null, null);
        }
        Path previousTarget = null;
        boolean built = false;
        boolean activated = false;
        List<String> output = List.of();
        try {
            Files.createDirectories(productDir);
            removeLeftovers(productDir);
            previousTarget = currentTarget(productDir).orElse(null);
            String previousVersion = previousTarget == null ? null : previousTarget.getFileName().toString();

            if (!complete(release)) {
                if (version.equals(previousVersion)) {
                    return InstallOutcome.failure(Reason.INSTALL_FAILED, "the active folder " + release
                            + " is not a complete release; refusing to replace it in place", null, null);
                }
                FileTrees.delete(release);
                Optional<InstallOutcome> failed = build(manifest, spec, artifactsDir, productDir, release);
                if (failed.isPresent()) {
                    return failed.get();
                }
                built = true;
                if (spec.command() != null) {
                    CommandRunner.Result result = CommandRunner.run("install command", spec.command(), release,
                            environment(manifest, release), Duration.ofSeconds(spec.effectiveTimeoutSeconds()));
                    output = result.output();
                    if (!result.ok()) {
                        FileTrees.delete(release);
                        return InstallOutcome.failure(Reason.INSTALL_FAILED, result.failure(), result.exitCode(), output);
                    }
                }
                FileTrees.sync(release);
                AtomicFiles.write(release.resolve(MARKER), marker(manifest));
            } else {
                LOG.infof("%s %s is already unpacked and installed in %s; activating it again", product, version, release);
            }

            pointCurrentAt(productDir, Path.of(version));
            activated = true;
            if (spec.healthCheck() != null) {
                int seconds = spec.timeoutSeconds() != null ? spec.timeoutSeconds() : options.healthCheckTimeoutSeconds();
                CommandRunner.Result check = CommandRunner.run("health check", spec.healthCheck(), release,
                        environment(manifest, release), Duration.ofSeconds(seconds));
                if (!check.ok()) {
                    restore(productDir, previousTarget, release);
                    return InstallOutcome.failure(Reason.HEALTH_CHECK_FAILED, check.failure(), check.exitCode(),
                            check.output());
                }
            }
            return InstallOutcome.success(output, prune(productDir, version, previousVersion));
        } catch (IOException | RuntimeException e) {
            LOG.warnf(e, "Installing %s %s failed", product, version);
            if (activated) {
                restore(productDir, previousTarget, release);
            } else if (built) {
                deleteQuietly(release);
            }
            return InstallOutcome.failure(Reason.INSTALL_FAILED, e.getClass().getSimpleName() + ": " + e.getMessage(),
                    null, output);
        }
    }

    /** Builds the release in a partial folder and renames it into place; a failure if it cannot. */
    private Optional<InstallOutcome> build(Manifest manifest, InstallSpec spec, Path artifactsDir, Path productDir,
                                           Path release) throws IOException {
        Path partial = productDir.resolve("." + manifest.version() + ".partial-" + randomSuffix());
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
                ArtifactEntry archive = manifest.artifacts().stream().filter(a -> a.name().equals(spec.archive()))
                        .findFirst().orElse(null);
                if (archive == null) {
                    return Optional.of(InstallOutcome.failure(Reason.BAD_ARCHIVE,
                            "install archive " + spec.archive() + " is not one of the artifacts", null, null));
                }
                Path file = artifactsDir.resolve(archive.name());
                if (!Files.isRegularFile(file)) {
                    return Optional.of(InstallOutcome.failure(Reason.INSTALL_FAILED,
                            "artifact " + archive.name() + " is not in " + artifactsDir, null, null));
                }
                try {
                    new ArchiveUnpacker(MARKER, unpackLimit(Files.size(file)), options.maxArchiveEntries())
                            .unpack(file, partial);
                } catch (BadArchiveException e) {
                    return Optional.of(InstallOutcome.failure(Reason.BAD_ARCHIVE,
                            archive.name() + ": " + e.getMessage(), null, null));
                }
            }
            Files.move(partial, release, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.syncFolder(productDir);
            return Optional.empty();
        } finally {
            deleteQuietly(partial);
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

    private static Map<String, String> environment(Manifest manifest, Path release) {
        return Map.of("STARLING_PRODUCT", manifest.product(),
                "STARLING_VERSION", manifest.version(),
                "STARLING_SEQUENCE", Long.toString(manifest.sequence()),
                "STARLING_RELEASE_DIR", release.toString());
    }

    private static byte[] marker(Manifest manifest) {
        return ("product=" + manifest.product() + "\nversion=" + manifest.version() + "\nsequence="
                + manifest.sequence() + "\ninstalledAt=" + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static boolean complete(Path release) {
        return Files.isDirectory(release, LinkOption.NOFOLLOW_LINKS)
                && Files.isRegularFile(release.resolve(MARKER), LinkOption.NOFOLLOW_LINKS);
    }

    /** Swaps {@code current} to {@code target} in one rename(2): no moment without a link, or with a dangling one. */
    private static void pointCurrentAt(Path productDir, Path target) throws IOException {
        Path temp = productDir.resolve(".current-" + randomSuffix());
        try {
            Files.createSymbolicLink(temp, target);
            Files.move(temp, productDir.resolve(CURRENT), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        AtomicFiles.syncFolder(productDir);
    }

    /** Puts {@code current} back as it was, and removes the failed release unless it is what current shows again. */
    private static void restore(Path productDir, Path previousTarget, Path failed) {
        try {
            if (previousTarget == null) {
                Files.deleteIfExists(productDir.resolve(CURRENT));
                AtomicFiles.syncFolder(productDir);
            } else {
                pointCurrentAt(productDir, previousTarget);
            }
        } catch (IOException e) {
            LOG.errorf(e, "Could not point %s back at %s", productDir.resolve(CURRENT), previousTarget);
            return;
        }
        if (previousTarget == null || !failed.equals(productDir.resolve(previousTarget).normalize())) {
            deleteQuietly(failed);
        }
    }

    private static Optional<Path> currentTarget(Path productDir) throws IOException {
        Path current = productDir.resolve(CURRENT);
        if (!Files.isSymbolicLink(current)) {
            return Optional.empty();
        }
        return Optional.of(Files.readSymbolicLink(current));
    }

    /**
     * Keeps the active release, the previous one and then the most recently installed others, up
     * to {@code keepVersions} in all; removes the rest, and release folders a crash left incomplete.
     */
    private List<String> prune(Path productDir, String active, String previous) {
        Set<String> keep = new LinkedHashSet<>();
        keep.add(active);
        List<Path> others = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        try {
            for (Path folder : releaseFolders(productDir)) {
                String name = folder.getFileName().toString();
                if (name.equals(active)) {
                    continue;
                }
                if (!complete(folder)) {
                    deleteQuietly(folder);
                } else if (name.equals(previous) && keep.size() < options.keepVersions()) {
                    keep.add(name);
                } else {
                    others.add(folder);
                }
            }
            others.sort(Comparator.comparing(Installer::installedAt).reversed());
            for (Path folder : others) {
                String name = folder.getFileName().toString();
                if (keep.size() < options.keepVersions()) {
                    keep.add(name);
                } else if (deleteQuietly(folder)) {
                    removed.add(name);
                }
            }
        } catch (IOException e) {
            LOG.warnf(e, "Could not list %s to remove old releases", productDir);
        }
        return removed;
    }

    private static List<Path> releaseFolders(Path productDir) throws IOException {
        if (!Files.isDirectory(productDir)) {
            return List.of();
        }
        List<Path> folders = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(productDir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.startsWith(".") && !name.equals(CURRENT)
                        && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    folders.add(entry);
                }
            }
        }
        return folders;
    }

    private static FileTime installedAt(Path release) {
        try {
            return Files.getLastModifiedTime(release.resolve(MARKER));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /** Partial folders and temporary links that an install interrupted by a crash left behind. */
    private static void removeLeftovers(Path productDir) throws IOException {
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

    private static boolean deleteQuietly(Path path) {
        try {
            FileTrees.delete(path);
            return true;
        } catch (IOException e) {
            LOG.warnf(e, "Could not remove %s", path);
            return false;
        }
    }

    private static String randomSuffix() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
