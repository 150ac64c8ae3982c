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
import io.starling.agent.state.ConfinedPaths;
import io.starling.agent.state.DeploymentJournal;
import io.starling.agent.state.DeploymentRecord;
import io.starling.agent.state.InstalledReleases;
import io.starling.agent.swarm.AgentSwarm;
import io.starling.agent.swarm.SwarmDownload;
import io.starling.agent.swarm.SwarmProgress;
import io.starling.agent.swarm.SwarmState;
import io.starling.agent.verify.ArtifactCheck;
import io.starling.agent.verify.TorrentCheck;
import io.starling.agent.verify.TrustedKeys;
import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.DeploymentState;
import io.starling.protocol.agent.DeploymentStatusReport;
import io.starling.protocol.agent.Stripe;
import io.starling.protocol.manifest.ArtifactEntry;
import io.starling.protocol.manifest.Manifest;
import io.starling.protocol.manifest.ManifestRejectedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Drives one deployment from wherever its journal says it is to a final state: verify the
 * manifest, download every artifact from the swarm, check each file's SHA-256, install, report.
 * Every step is journalled before it is reported, and a restarted agent resumes here: the
 * journal, the swarm's resume data and the install folders say what is already done.
 */
final class DeploymentRunner {

    private static final Logger LOG = Logger.getLogger(DeploymentRunner.class);
    private static final Duration POLL = Duration.ofMillis(500);

    /** What a runner uses; one of each per agent. */
    record Sync(DeploymentJournal journal, InstalledReleases installed, TrustedKeys verifier, AgentSwarm swarm,
                Installer installer, Reporter reporter, TorrentSource torrents, Path downloads, Duration progressInterval,
                ServerClock serverClock, Duration stallAfter, Function<String, Stripe> stripes) {

        /** Without stripe hints: every download picks rarest first alone. */
        Sync(DeploymentJournal journal, InstalledReleases installed, TrustedKeys verifier, AgentSwarm swarm,
             Installer installer, Reporter reporter, TorrentSource torrents, Path downloads, Duration progressInterval,
             ServerClock serverClock, Duration stallAfter) {
            this(journal, installed, verifier, swarm, installer, reporter, torrents, downloads, progressInterval,
                    serverClock, stallAfter, deploymentId -> null);
        }
    }

    /**
     * A download's end, short of a finished one. {@code stallAfter}: no verified progress this
     * long (the web seed has joined by then) fails the deployment with {@value #DOWNLOAD_STALLED};
     * zero waits for ever.
     */
    private enum Wait { FINISHED, STOPPED, STALLED }

    /** The reason of a deployment whose download made no verified progress for the stall deadline. */
    static final String DOWNLOAD_STALLED = DeploymentStatusReport.DOWNLOAD_STALLED;

    /** This agent's .torrent for an artifact of a deployment (a local copy, or from the control plane). */
    interface TorrentSource {
        byte[] torrent(String deploymentId, String artifact);
    }

    private final String id;
    private final Sync sync;
    private final Clock clock;
    private DeploymentRecord record;
    private Instant wakeAt;

    DeploymentRunner(String id, Sync sync, Clock clock) {
        this.id = id;
        this.sync = sync;
        this.clock = clock;
        this.record = sync.journal().get(id).orElseThrow();
    }

    /**
     * The folder a release's artifacts download into, and are seeded from.
     *
     * @throws ConfinedPaths.EscapeException if the names would lead out of {@code downloads}
     */
    static Path downloadFolder(Path downloads, String product, String version) {
        return ConfinedPaths.under(downloads, product, version);
    }

    /**
     * When a run that ended waiting in DOWNLOADED should run again, by the control plane's clock
     * (the window opens, or the deadline passes); empty: at the next check-in.
     */
    Optional<Instant> wakeAt() {
        return Optional.ofNullable(wakeAt);
    }

    /**
     * Runs until the deployment is final, waits in DOWNLOADED for its install policy, cannot go
     * on for now (no torrent and no control plane), or {@code cancelled} says stop.
     *
     * @return the state it ended in
     */
    DeploymentState run(BooleanSupplier cancelled) throws InterruptedException {
        Manifest manifest;
        try {
            // Verified again after a restart too: expiry may have passed, or another release of
            // the product may have been installed meanwhile (sequence).
            manifest = sync.verifier().verify(record.manifest(), record.signature(), clock.instant(),
                    record.state() == INSTALLING ? -1 : sync.installed().lastSequence(record.product()));
            if (!manifest.product().equals(record.product()) || !manifest.version().equals(record.version())) {
                throw new ManifestRejectedException(ManifestRejectedException.Reason.MALFORMED, "the manifest is for "
                        + manifest.product() + " " + manifest.version() + ", not " + record.product() + " "
                        + record.version());
            }
        } catch (ManifestRejectedException e) {
            return fail(e.reason().name(), e.getMessage(), null, null);
        }
        Path folder;
        try {
            folder = downloadFolder(sync.downloads(), manifest.product(), manifest.version());
        } catch (ConfinedPaths.EscapeException e) {
            return fail(DeploymentStatusReport.INVALID_DEPLOYMENT, e.getMessage(), null, null);
        }
        long total = manifest.artifacts().stream().mapToLong(ArtifactEntry::size).sum();

        if (record.state() == PENDING || record.state() == DOWNLOADING) {
            List<SwarmDownload> downloads;
            try {
                downloads = startDownloads(manifest, folder);
            } catch (ManifestRejectedException e) {
                return fail(e.reason().name(), e.getMessage(), null, null);
            } catch (ConfinedPaths.EscapeException e) {
                return fail(DeploymentStatusReport.INVALID_DEPLOYMENT, e.getMessage(), null, null);
            } catch (ControlPlaneException e) {
                LOG.warnf("Deployment %s: cannot get its torrents yet, will retry: %s", id, e.getMessage());
                return record.state();
            }
            if (record.state() == PENDING) {
                move(DOWNLOADING, report(DOWNLOADING, downloads, total));
            }
            Wait wait = awaitDownloads(downloads, total, cancelled);
            if (wait == Wait.STALLED) {
                // Partial bytes go: a deployment of the same release later downloads afresh.
                downloads.forEach(d -> d.remove(true));
                return fail(DOWNLOAD_STALLED, "no piece was verified for " + sync.stallAfter()
                        + " (peers and web seed alike); the download was given up", null, null);
            }
            if (wait == Wait.STOPPED) {
                return record.state();
            }
            BytesBySource bytes = bytesOf(downloads);
            try {
                ArtifactCheck.verifyAll(manifest, folder);
            } catch (ManifestRejectedException e) {
                // libtorrent checked every piece against the torrent; a mismatch here means the
                // files changed on disk after that, or resume data lied: never install them, and
                // throw the bytes away so that a new deployment downloads them afresh.
                downloads.forEach(d -> d.remove(true));
                saveBytes(bytes);
                return fail(e.reason().name(), e.getMessage(), null, null);
            } catch (IOException e) {
                return fail("BAD_ARTIFACT", "cannot read the downloaded files: " + e.getMessage(), null, null);
            }
            saveBytes(bytes);
            move(DOWNLOADED, DeploymentStatusReport.progress(DOWNLOADED, total, total, bytes));
        }
        if (cancelled.getAsBoolean() && record.state().mayBecome(CANCELLED)) {
            return cancel();
        }
        if (record.state() == DOWNLOADED) {
            InstallGate.Decision gate = InstallGate.decide(record.install(), sync.serverClock().now());
            if (!gate.install()) {
                return waitToInstall(gate, manifest, folder, total);
            }
            move(INSTALLING, DeploymentStatusReport.progress(INSTALLING, total, total, record.bytes()));
        }
        if (record.state() == INSTALLING) {
            return install(manifest, folder, total);
        }
        return record.state();
    }

    /**
     * Stays DOWNLOADED, seeding, and tells the control plane why (once per reason). After a
     * restart the swarm no longer holds the files: they are added again, checked against the
     * resume data, so that the office keeps its pre-staged copy to share.
     */
    private DeploymentState waitToInstall(InstallGate.Decision gate, Manifest manifest, Path folder, long total) {
        wakeAt = gate.wakeAt();
        try {
            startDownloads(manifest, folder);
        } catch (RuntimeException e) {
            LOG.debugf("Deployment %s: not seeding while it waits: %s", id, e.getMessage());
        }
        if (!gate.waiting().equals(record.detail())) {
            LOG.infof("Deployment %s of %s %s downloaded, %s", id, record.product(), record.version(), gate.waiting());
            DeploymentStatusReport report = new DeploymentStatusReport(DOWNLOADED, total, total, record.bytes(), null,
                    gate.waiting(), null, List.of());
            if (sync.reporter().send(id, report) == Reporter.Outcome.SENT) {
                record = journal(() -> sync.journal().waiting(id, gate.waiting()));
            }
        }
        return DOWNLOADED;
    }

    /**
     * The sequence was checked when the run began, but another deployment of the product may
     * have installed a newer release while this one downloaded: checked again, and held until
     * this install is recorded, under the installer's lock (installs are one at a time anyway),
     * so that an older release never replaces a newer one.
     */
    private DeploymentState install(Manifest manifest, Path folder, long total) {
        synchronized (sync.installer()) {
            if (!sync.installed().mayInstall(manifest.product(), manifest.version(), manifest.sequence())) {
                return fail(ManifestRejectedException.Reason.ROLLBACK.name(), "sequence " + manifest.sequence()
                        + " is not above the installed sequence " + sync.installed().lastSequence(manifest.product())
                        + ": a newer release was installed while this one downloaded", null, null);
            }
            if (sync.installed().isRevokedSigner(manifest.keyId())) {
                // Verified before a key set revoking its key was taken: it must not install now.
                return fail(ManifestRejectedException.Reason.UNKNOWN_KEY.name(), "signed with key " + manifest.keyId()
                        + ", which a key set revoked while this release downloaded", null, null);
            }
            InstallOutcome outcome = sync.installer().install(manifest, folder);
            if (!outcome.succeeded()) {
                LOG.warnf("Deployment %s: installing %s %s failed: %s", id, record.product(), record.version(),
                        outcome.detail());
                return fail(outcome.reason().name(), outcome.detail(), outcome.exitCode(), outcome.output());
            }
            try {
                sync.installed().markInstalled(manifest.product(), manifest.version(), manifest.sequence(),
                        manifest.keyId(), clock.instant());
                for (String removed : outcome.removedVersions()) {
                    sync.installed().forget(manifest.product(), removed);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        move(INSTALLED, DeploymentStatusReport.progress(INSTALLED, total, total, record.bytes()));
        LOG.infof("Installed %s %s (deployment %s)", record.product(), record.version(), id);
        return record.state();
    }

    private List<SwarmDownload> startDownloads(Manifest manifest, Path folder) {
        List<SwarmDownload> downloads = new ArrayList<>();
        for (ArtifactEntry artifact : manifest.artifacts()) {
            byte[] torrent = sync.torrents().torrent(id, artifact.name());
            TorrentCheck.verify(artifact, torrent);
            // Bytes by source are kept per deployment; hand the journal's running total to the
            // first artifact only, so that the sum over artifacts stays right after a restart.
            downloads.add(sync.swarm().download(torrent, folder, downloads.isEmpty() ? record.bytes() : BytesBySource.NONE,
                    sync.stripes().apply(id)));
        }
        return downloads;
    }

    /** @return FINISHED once every download finished; STOPPED when cancelled or refused; STALLED */
    private Wait awaitDownloads(List<SwarmDownload> downloads, long total, BooleanSupplier cancelled)
            throws InterruptedException {
        long lastReport = System.nanoTime();
        StallWatch stall = new StallWatch(sync.stallAfter());
        while (true) {
            if (cancelled.getAsBoolean()) {
                downloads.forEach(d -> d.remove(true));
                cancel();
                return Wait.STOPPED;
            }
            List<SwarmProgress> now = downloads.stream().map(SwarmDownload::progress).toList();
            if (now.stream().allMatch(SwarmProgress::finished)) {
                return Wait.FINISHED;
            }
            long verified = now.stream().mapToLong(SwarmProgress::bytesDone).sum();
            boolean downloading = now.stream().filter(p -> !p.finished())
                    .allMatch(p -> p.state() == SwarmState.DOWNLOADING);
            if (stall.stalled(verified, downloading, System.nanoTime())) {
                return Wait.STALLED;
            }
            if (System.nanoTime() - lastReport >= sync.progressInterval().toNanos()) {
                lastReport = System.nanoTime();
                DeploymentStatusReport progress = report(DOWNLOADING, downloads, total);
                saveBytes(progress.bytes());
                if (sync.reporter().send(id, progress) == Reporter.Outcome.REFUSED) {
                    downloads.forEach(d -> d.remove(true));
                    cancel();
                    return Wait.STOPPED;
                }
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static DeploymentStatusReport report(DeploymentState state, List<SwarmDownload> downloads, long total) {
        long done = 0;
        for (SwarmDownload d : downloads) {
            done += d.progress().bytesDone();
        }
        return DeploymentStatusReport.progress(state, done, total, bytesOf(downloads));
    }

    private static BytesBySource bytesOf(List<SwarmDownload> downloads) {
        BytesBySource bytes = BytesBySource.NONE;
        for (SwarmDownload d : downloads) {
            SwarmProgress p = d.progress();
            bytes = bytes.plus(p.bytesBySource());
        }
        return bytes;
    }

    /** The swarm counts cumulatively from what the journal held; the journal keeps that total. */
    private void saveBytes(BytesBySource cumulative) {
        BytesBySource known = record.bytes();
        BytesBySource delta = new BytesBySource(
                Math.max(0, cumulative.sameSitePeers() - known.sameSitePeers()),
                Math.max(0, cumulative.otherSitePeers() - known.otherSitePeers()),
                Math.max(0, cumulative.originSeeder() - known.originSeeder()),
                Math.max(0, cumulative.webSeed() - known.webSeed()));
        if (delta.total() > 0) {
            record = journal(() -> sync.journal().addBytes(id, delta));
        }
    }

    private void move(DeploymentState next, DeploymentStatusReport report) {
        record = journal(() -> sync.journal().transition(id, next));
        send(report);
    }

    private DeploymentState fail(String reason, String detail, Integer exitCode, List<String> output) {
        LOG.warnf("Deployment %s of %s %s failed: %s %s", id, record.product(), record.version(), reason, detail);
        record = journal(() -> sync.journal().fail(id, reason, detail, exitCode, output));
        send(new DeploymentStatusReport(FAILED, 0, 0, record.bytes(), reason, detail, exitCode, output));
        return FAILED;
    }

    private DeploymentState cancel() {
        if (record.state().mayBecome(CANCELLED)) {
            LOG.infof("Deployment %s of %s %s cancelled", id, record.product(), record.version());
            record = journal(() -> sync.journal().transition(id, CANCELLED));
        }
        return record.state();
    }

    private void send(DeploymentStatusReport report) {
        Reporter.Outcome outcome = sync.reporter().send(id, report);
        // A refused final report will never be accepted: do not repeat it forever.
        if (outcome == Reporter.Outcome.SENT || outcome == Reporter.Outcome.REFUSED && report.state().isFinal()) {
            record = journal(() -> sync.journal().reported(id, report.state()));
        }
    }

    /** The report the control plane has yet to hear of, rebuilt from the journal (after an outage or a restart). */
    static DeploymentStatusReport pendingReport(DeploymentRecord record) {
        long total = 0;
        try {
            // Only to fill in the sizes of the report: trust decisions never use an unverified parse.
            total = io.starling.protocol.manifest.CanonicalJson.read(record.manifestBytes(), Manifest.class)
                    .artifacts().stream().mapToLong(ArtifactEntry::size).sum();
        } catch (RuntimeException e) {
            // A malformed manifest was reported as such; sizes stay 0.
        }
        boolean complete = record.state() == DOWNLOADED || record.state() == INSTALLING || record.state() == INSTALLED;
        return new DeploymentStatusReport(record.state(), complete ? total : 0, total, record.bytes(), record.reason(),
                record.detail(), record.exitCode(), record.output());
    }

    private interface JournalCall {
        DeploymentRecord call() throws IOException;
    }

    private static DeploymentRecord journal(JournalCall call) {
        try {
            return call.call();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the deployment journal", e);
        }
    }
}
