package io.starling.agent.install;

import io.starling.agent.install.InstallOutcome.Reason;
import io.starling.agent.state.AtomicFiles;
import io.starling.agent.state.ConfinedPaths;
import io.starling.protocol.manifest.ArtifactEntry;
import io.starling.protocol.manifest.InstallSpec;
import io.starling.protocol.manifest.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
    private final ReleaseBuilder builder;

    public Installer(Path root) {
        this(root, Options.DEFAULT);
    }

    public Installer(Path root, Options options) {
        this.root = root.toAbsolutePath().normalize();
        this.options = Objects.requireNonNull(options, "options");
        this.builder = new ReleaseBuilder(options);
    }

    public Path root() {
        return root;
    }

    /** The version the product's {@code current} link points at, if any. */
    public Optional<String> activeVersion(String product) throws IOException {
        return new CurrentLink(ConfinedPaths.under(root, product)).target().map(t -> t.getFileName().toString());
    }

    /** The product's complete release folders, by name. */
    public List<String> versions(String product) throws IOException {
        return ReleaseFolders.list(ConfinedPaths.under(root, product)).stream().filter(ReleaseFolders::complete)
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
        CurrentLink current = new CurrentLink(productDir);
        Path previousTarget = null;
        boolean built = false;
        boolean activated = false;
        List<String> output = List.of();
        try {
            Files.createDirectories(productDir);
            ReleaseFolders.removeLeftovers(productDir);
            previousTarget = current.target().orElse(null);
            String previousVersion = previousTarget == null ? null : previousTarget.getFileName().toString();

            if (!ReleaseFolders.complete(release)) {
                if (version.equals(previousVersion)) {
                    return InstallOutcome.failure(Reason.INSTALL_FAILED, "the active folder " + release
                            + " is not a complete release; refusing to replace it in place", null, null);
                }
                FileTrees.delete(release);
                Optional<InstallOutcome> failed = builder.build(manifest, spec, artifactsDir, productDir, release);
                if (failed.isPresent()) {
                    return failed.get();
                }
                built = true;
                if (spec.command() != null) {
                    CommandRunner.Result result = CommandRunner.run("install command", spec.command(), release,
                            InstallEnvironment.of(manifest, release), Duration.ofSeconds(spec.effectiveTimeoutSeconds()));
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

            current.pointAt(Path.of(version));
            activated = true;
            if (spec.healthCheck() != null) {
                int seconds = spec.timeoutSeconds() != null ? spec.timeoutSeconds() : options.healthCheckTimeoutSeconds();
                CommandRunner.Result check = CommandRunner.run("health check", spec.healthCheck(), release,
                        InstallEnvironment.of(manifest, release), Duration.ofSeconds(seconds));
                if (!check.ok()) {
                    current.restore(previousTarget, release);
                    return InstallOutcome.failure(Reason.HEALTH_CHECK_FAILED, check.failure(), check.exitCode(),
                            check.output());
                }
            }
            return InstallOutcome.success(output,
                    ReleaseFolders.prune(productDir, version, previousVersion, options.keepVersions()));
        } catch (IOException | RuntimeException e) {
            LOG.warnf(e, "Installing %s %s failed", product, version);
            if (activated) {
                current.restore(previousTarget, release);
            } else if (built) {
                FileTrees.deleteQuietly(release);
            }
            return InstallOutcome.failure(Reason.INSTALL_FAILED, e.getClass().getSimpleName() + ": " + e.getMessage(),
                    null, output);
        }
    }

    private static byte[] marker(Manifest manifest) {
        return ("product=" + manifest.product() + "\nversion=" + manifest.version() + "\nsequence="
                + manifest.sequence() + "\ninstalledAt=" + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
