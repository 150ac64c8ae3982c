package io.starling.agent.sync;

import static io.starling.protocol.agent.DeploymentState.CANCELLED;
import static io.starling.protocol.agent.DeploymentState.DOWNLOADED;
import static io.starling.protocol.agent.DeploymentState.DOWNLOADING;
import static io.starling.protocol.agent.DeploymentState.FAILED;
import static io.starling.protocol.agent.DeploymentState.INSTALLED;
import static io.starling.protocol.agent.DeploymentState.INSTALLING;
import static io.starling.protocol.agent.DeploymentState.PENDING;

import io.starling.agent.install.InstallOutcome;
import io.starling.agent.install.Installer;
import io.starling.agent.state.DeploymentJournal;
import io.starling.agent.state.DeploymentRecord;
import io.starling.agent.state.InstalledReleases;
import io.starling.agent.swarm.AgentSwarm;
import io.starling.agent.swarm.DownloadProgress;
import io.starling.agent.swarm.SwarmDownload;
import io.starling.agent.verify.ArtifactCheck;
import io.starling.agent.verify.ReleaseVerifier;
import io.starling.agent.verify.TorrentCheck;
import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.DeploymentState;
import io.starling.protocol.agent.DeploymentStatusReport;
import io.starling.protocol.manifest.ArtifactEntry;
import io.starling.protocol.manifest.Manifest;
import io.starling.protocol.manifest.ManifestRejectedException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Drives one deployment from wherever its journal says it is to a final state: verify the
 * manifest, download every artifact from the swarm, check each file's SHA-256, install, report.
 * Every step is journalled before it is reported, and a restarted agent resumes here: the
 * journal, the swarm's resume data and the install folders say what is already done.
 */
final class DeploymentRunner {

    private static final Logger LOG = Logger.getLogger(DeploymentRunner.class);
    private static final Duration POLL = Duration.ofSeconds(1);

    private final String id;
    private final Release release;
    private final Sync sync;
    private final Clock clock;

    /** What a runner uses; one of each per agent. */
    record Sync(DeploymentJournal journal, InstalledReleases installed, ReleaseVerifier verifier, AgentSwarm swarm,
                Installer installer, Reporter reporter, TorrentSource torrents, Path downloads, Duration progressInterval) {
    }

    /** Fetches this agent's .torrent for an artifact (from the control plane, or the local copy). */
    interface TorrentSource {
        byte[] torrent(String deploymentId, String artifact);
    }

    /** The release as the check-in described it. */
    record Release(String product, String version, byte[] manifest, byte[] signature) {
    }

    DeploymentRunner(String id, Release release, Sync sync, Clock clock) {
        this.id = id;
        this.release = release;
        this.sync = sync;
        this.clock = clock;
    }

    /**
     * Runs until the deployment is final or {@code cancelled} says stop.
     *
     * @return the state it ended in
     */
    DeploymentState run(BooleanSupplier cancelled) throws InterruptedException {
        DeploymentRecord record = sync.journal().get(id).orElseThrow();
        Manifest manifest;
        try {
            // Verified again after a restart, too: expiry may have passed, or another release of
            // the product may have been installed meanwhile (sequence).
            manifest = sync.verifier().verify(release.manifest(), release.signature(), clock.instant(),
                    sync.installed().lastSequence(release.product()));
        } catch (ManifestRejectedException e) {
            return fail(record, e.reason().name(), e.getMessage(), BytesBySource.NONE);
        }
        Path folder = downloadFolder(manifest);

        if (record.state() == PENDING || record.state() == DOWNLOADING) {
            List<SwarmDownload> downloads;
            try {
                downloads = startDownloads(manifest, folder, record.bytes());
            } catch (ManifestRejectedException e) {
                return fail(record, e.reason().name(), e.getMessage(), record.bytes());
            } catch (ControlPlaneException e) {
                // No torrent yet and no control plane: try again at the next check-in.
                LOG.warnf("Deployment %s: cannot get its torrents yet: %s", id, e.getMessage());
                return record.state();
            }
            record = move(record, DOWNLOADING, progress(downloads, manifest));
            record = awaitDownloads(record, downloads, manifest, cancelled);
            if (record.state() != DOWNLOADING) {
                return record.state();
            }
            BytesBySource bytes = sum(downloads);
            try {
                for (ArtifactEntry artifact : manifest.artifacts()) {
                    ArtifactCheck.verify(artifact, folder.resolve(artifact.name()));
                }
            } catch (ManifestRejectedException e) {
                // libtorrent checked every piece against the torrent; a mismatch here means the
                // files changed on disk after that (or resume data lied): never install them.
                downloads.forEach(d -> d.remove(true));
                return fail(record, e.reason().name(), e.getMessage(), bytes);
            }
            record = move(record, DOWNLOADED, DeploymentStatusReport.progress(DOWNLOADED, total(manifest), total(manifest), bytes));
        }
        if (cancelled.getAsBoolean()) {
            return cancel(record);
        }
        if (record.state() == DOWNLOADED) {
            record = move(record, INSTALLING, DeploymentStatusReport.progress(INSTALLING, total(manifest), total(manifest),
                    record.bytes()));
        }
        if (record.state() == INSTALLING) {
            InstallOutcome outcome = sync.installer().install(manifest, folder);
            if (!outcome.success()) {
                DeploymentStatusReport report = new DeploymentStatusReport(FAILED, total(manifest), total(manifest),
                        record.bytes(), outcome.reason(), outcome.detail(), outcome.exitCode(), outcome.output());
                record = sync.journal().update(id, r -> r.moveTo(FAILED, report));
                sync.reporter().send(id, report);
                LOG.warnf("Deployment %s of %s %s failed to install: %s", id, release.product(), release.version(),
                        outcome.detail());
                return FAILED;
            }
            sync.installed().markInstalled(manifest.product(), manifest.version(), manifest.sequence(), clock.instant());
            record = move(record, INSTALLED, DeploymentStatusReport.progress(INSTALLED, total(manifest), total(manifest),
                    record.bytes()));
            LOG.infof("Installed %s %s (deployment %s)", release.product(), release.version(), id);
        }
        return record.state();
    }

    private List<SwarmDownload> startDownloads(Manifest manifest, Path folder, BytesBySource already) {
        List<SwarmDownload> downloads = new ArrayList<>();
        for (ArtifactEntry artifact : manifest.artifacts()) {
            byte[] torrent = sync.torrents().torrent(id, artifact.name());
            TorrentCheck.verify(artifact, torrent);
            // Bytes by source are cumulative per deployment; split what the journal holds over the
            // artifacts only once, on the first one.
            downloads.add(sync.swarm().download(torrent, folder, downloads.isEmpty() ? already : BytesBySource.NONE));
        }
        return downloads;
    }

    private DeploymentRecord awaitDownloads(DeploymentRecord record, List<SwarmDownload> downloads, Manifest manifest,
                                            BooleanSupplier cancelled) throws InterruptedException {
        long lastReport = System.nanoTime();
        while (true) {
            if (cancelled.getAsBoolean()) {
                downloads.forEach(d -> d.remove(true));
                return cancel(record);
            }
            boolean finished = downloads.stream().allMatch(d -> d.progress().finished());
            DeploymentStatusReport report = progress(downloads, manifest);
            if (finished) {
                return record;
            }
            if (System.nanoTime() - lastReport >= sync.progressInterval().toNanos()) {
                lastReport = System.nanoTime();
                record = sync.journal().update(id, r -> r.withProgress(report));
                if (sync.reporter().send(id, report) == Reporter.Outcome.REFUSED) {
                    downloads.forEach(d -> d.remove(true));
                    return cancel(record);
                }
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private DeploymentStatusReport progress(List<SwarmDownload> downloads, Manifest manifest) {
        long done = 0;
        for (SwarmDownload d : downloads) {
            done += d.progress().bytesDone();
        }
        return DeploymentStatusReport.progress(DOWNLOADING, done, total(manifest), sum(downloads));
    }

    private static BytesBySource sum(List<SwarmDownload> downloads) {
        BytesBySource bytes = BytesBySource.NONE;
        for (SwarmDownload d : downloads) {
            DownloadProgress p = d.progress();
            bytes = bytes.plus(p.bytes());
        }
        return bytes;
    }

    private DeploymentRecord move(DeploymentRecord record, DeploymentState next, DeploymentStatusReport report) {
        DeploymentStatusReport moved = new DeploymentStatusReport(next, report.bytesDone(), report.bytesTotal(),
                report.bytes(), null, null, null, null);
        DeploymentRecord updated = record.state() == next ? sync.journal().update(id, r -> r.withProgress(moved))
                : sync.journal().update(id, r -> r.moveTo(next, moved));
        if (sync.reporter().send(id, moved) == Reporter.Outcome.REFUSED && !next.isFinal()) {
            return cancel(updated);
        }
        return updated;
    }

    private DeploymentState fail(DeploymentRecord record, String reason, String detail, BytesBySource bytes) {
        LOG.warnf("Deployment %s of %s %s refused: %s %s", id, release.product(), release.version(), reason, detail);
        DeploymentStatusReport report = DeploymentStatusReport.failed(reason, detail, bytes);
        sync.journal().update(id, r -> r.moveTo(FAILED, report));
        sync.reporter().send(id, report);
        return FAILED;
    }

    private DeploymentRecord cancel(DeploymentRecord record) {
        if (!record.state().mayBecome(CANCELLED)) {
            return record;
        }
        LOG.infof("Deployment %s of %s %s cancelled", id, release.product(), release.version());
        return sync.journal().update(id, r -> r.moveTo(CANCELLED,
                DeploymentStatusReport.progress(CANCELLED, 0, 0, r.bytes())));
    }

    private Path downloadFolder(Manifest manifest) {
        return sync.downloads().resolve(manifest.product()).resolve(manifest.version());
    }

    private static long total(Manifest manifest) {
        return manifest.artifacts().stream().mapToLong(ArtifactEntry::size).sum();
    }

    static byte[] base64(String value) {
        return Base64.getDecoder().decode(value);
    }
}
