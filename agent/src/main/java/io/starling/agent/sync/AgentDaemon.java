package io.starling.agent.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.agent.config.AgentConfig;
import io.starling.agent.install.Installer;
import io.starling.agent.state.AgentIdentity;
import io.starling.agent.state.AssignmentStore;
import io.starling.agent.state.AtomicFiles;
import io.starling.agent.state.ConfinedPaths;
import io.starling.agent.state.DeploymentJournal;
import io.starling.agent.state.DeploymentRecord;
import io.starling.agent.state.InstalledReleases;
import io.starling.agent.state.KeySetStore;
import io.starling.agent.swarm.AgentSwarm;
import io.starling.agent.swarm.PeerIdentity;
import io.starling.agent.swarm.SwarmSettings;
import io.starling.agent.verify.TrustedKeys;
import io.starling.protocol.agent.CheckInRequest;
import io.starling.protocol.agent.CheckInResponse;
import io.starling.protocol.agent.DeploymentState;
import io.starling.protocol.agent.DeploymentStatusReport;
import io.starling.protocol.agent.DesiredDeployment;
import io.starling.protocol.agent.InstallPolicy;
import io.starling.protocol.agent.InstalledRelease;
import io.starling.protocol.agent.Stripe;
import io.starling.protocol.assignment.AssignedDeployment;
import io.starling.protocol.assignment.Assignment;
import io.starling.protocol.assignment.AssignmentSigner;
import io.starling.protocol.keys.KeySet;
import io.starling.protocol.names.NameRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The running agent: a check-in loop, one runner per active deployment, the swarm, and a status
 * file for {@code starling-agent status}. The control plane is only consulted: when it is gone,
 * downloads, installs and seeding carry on from the journal, and reports wait in the
 * {@link Reporter} until it is back.
 */
public final class AgentDaemon implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(AgentDaemon.class);
    public static final String VERSION = AgentDaemon.class.getPackage().getImplementationVersion() == null
            ? "dev" : AgentDaemon.class.getPackage().getImplementationVersion();

    private final AgentConfig config;
    private final AgentIdentity identity;
    private final ControlPlaneClient client;
    private final Clock clock;
    private final Path stateDir;
    /** This agent's key and certificate for SSL torrents. */
    private final PeerIdentity peerIdentity;
    private final AgentSwarm swarm;
    private final DeploymentJournal journal;
    private final InstalledReleases installed;
    private final TrustedKeys trust;
    /** What key sets do to the products' sequence floors, and the lowered ones not yet told. */
    private final SequenceFloors floors;
    private final Reporter reporter;
    private final DeploymentRunner.Sync sync;
    private final Backoff backoff;
    private final CheckInSchedule schedule;
    private final StatusFile statusFile;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(daemonThreads("check-in"));
    private final ExecutorService runners = Executors.newFixedThreadPool(2, daemonThreads("deployment"));
    private final Map<String, Boolean> running = new ConcurrentHashMap<>();
    /** The last stripe hint per listed deployment (not journalled: a restarted agent waits for the next). */
    private final Map<String, Stripe> stripes = new ConcurrentHashMap<>();
    private final Installer installer;
    private final Set<String> cancelRequested = ConcurrentHashMap.newKeySet();
    private final DeploymentRefusals refusals;
    private final ServerClock serverClock;
    private final WakeUps wakeUps;
    private final AssignmentGate assignments;
    /** Assigned deployments the answer did not carry, logged once each. */
    private final Set<String> withheld = ConcurrentHashMap.newKeySet();
    /** Final deployments stay in the journal (and in {@code status}) this long. */
    private static final Duration FORGET_FINISHED_AFTER = Duration.ofDays(30);
    private volatile CheckInResult lastCheckIn = new CheckInResult(null, false, "not yet");
    /** Why the previous check-in attempt failed, told to the control plane at the next one that gets through. */
    private volatile String lastFailure;

    /** How the last check-in went, for {@code status}. */
    public record CheckInResult(Instant at, boolean ok, String message) {
    }

    public AgentDaemon(AgentConfig config, AgentIdentity identity, TokenSource tokens, ObjectMapper json, Clock clock)
            throws IOException {
        this.config = config;
        this.identity = identity;
        this.clock = clock;
        this.stateDir = config.stateDir();
        URI server = URI.create(config.checkIn().serverUrl().orElse(identity.serverUrl()));
        this.client = new ControlPlaneClient(server, tokens, json, config.checkIn().requestTimeout(),
                config.checkIn().requestDeadline(), Transport.of(config.caBundle(), config.insecure()));
        this.journal = DeploymentJournal.open(stateDir);
        this.installed = InstalledReleases.open(stateDir);
        this.reporter = new Reporter(client);
        this.refusals = new DeploymentRefusals(reporter);
        this.swarm = AgentSwarm.open(new SwarmSettings(config.swarm().listenInterface(), stateDir.resolve("resume"),
                config.swarm().uploadRateLimit(), config.swarm().downloadRateLimit(), config.swarm().seedTime(),
                config.swarm().webSeedAfter(),
                SwarmSettings.libtorrentSettings(config.swarm().libtorrent().orElse(List.of()))));
        this.peerIdentity = PeerIdentity.open(stateDir);
        peerIdentity.certificatePem().ifPresent(c -> swarm.peerCertificate(c, peerIdentity.privateKeyPem()));
        this.installer = new Installer(config.installRoot(), Installer.Options.DEFAULT.withKeepVersions(config.keepVersions()));
        this.serverClock = new ServerClock(clock);
        this.trust = TrustedKeys.load(identity, new KeySetStore(stateDir));
        this.floors = new SequenceFloors(installed);
        floors.revoked(trust.keySet().map(KeySet::revoked).orElse(List.of()));
        // The assignment is checked against the same keys as manifests, and follows the same key sets.
        this.assignments = new AssignmentGate(trust, identity.agentId(), new AssignmentStore(stateDir), clock);
        this.sync = new DeploymentRunner.Sync(journal, installed, trust, swarm,
                installer, reporter, this::torrent, stateDir.resolve("downloads"), config.checkIn().progressInterval(),
                serverClock, stallAfter(config.swarm()), stripes::get);
        this.backoff = new Backoff(config.checkIn().minBackoff(), config.checkIn().maxBackoff());
        this.schedule = new CheckInSchedule(config.checkIn().defaultInterval(), config.checkIn().minBackoff());
        this.statusFile = new StatusFile(stateDir, json);
        this.wakeUps = new WakeUps(loop, serverClock, this::submit);
    }

    /** No verified progress this long fails a download: the web seed's wait, then the stall deadline. */
    private static Duration stallAfter(AgentConfig.Swarm swarm) {
        return swarm.stallDeadline().isZero() ? Duration.ZERO : swarm.webSeedAfter().plus(swarm.stallDeadline());
    }

    public void start() {
        // Work the journal knew of carries on before the control plane is even asked, and what
        // is installed keeps being seeded.
        reseedInstalled();
        for (DeploymentRecord record : journal.unfinished()) {
            submit(record.id());
        }
        loop.execute(this::checkInAndReschedule);
        loop.scheduleWithFixedDelay(this::writeStatus, 0, 2, TimeUnit.SECONDS);
        LOG.infof("Agent %s started (server %s, swarm on %s)", identity.agentId(), identity.serverUrl(),
                config.swarm().listenInterface());
    }

    private void checkInAndReschedule() {
        Duration wait;
        try {
            CheckInRequest request = inventory();
            CheckInResponse response = client.checkIn(request);
            floors.reported(request.floorsLowered());
            lastFailure = null;
            serverClock.heard(response.serverTime());
            backoff.succeeded();
            lastCheckIn = new CheckInResult(clock.instant(), true, "ok");
            apply(response);
            sendUnreported();
            wait = schedule.waitAfter(response, clock.instant());
        } catch (ControlPlaneException e) {
            wait = backoff.failed();
            lastCheckIn = new CheckInResult(clock.instant(), false, e.getMessage());
            lastFailure = e.getMessage();
            if (e.unauthorized()) {
                LOG.errorf("Check-in refused (401): this agent may have been revoked. Retrying in %s. %s", wait,
                        e.getMessage());
            } else {
                LOG.warnf("Check-in failed, retrying in %s: %s", wait, e.getMessage());
            }
        } catch (IOException | RuntimeException e) {
            wait = backoff.failed();
            lastCheckIn = new CheckInResult(clock.instant(), false, String.valueOf(e));
            lastFailure = String.valueOf(e);
            LOG.errorf(e, "Check-in failed unexpectedly, retrying in %s", wait);
        }
        if (!loop.isShutdown()) {
            loop.schedule(this::checkInAndReschedule, wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private CheckInRequest inventory() {
        return new CheckInRequest(VERSION, hostname(), config.swarm().listenInterface(), freeDisk(),
                installed.toInventory(), identity.labels(), assignments.report(lastFailure),
                peerIdentity.wantsCertificate(clock.instant()) ? peerIdentity.publicKeyBase64() : null,
                floors.unreported());
    }

    /** A renewed peer certificate for SSL torrents: kept, and loaded on every SSL torrent. */
    private void takePeerCertificate(String pem) {
        try {
            peerIdentity.renew(pem);
            swarm.peerCertificate(pem, peerIdentity.privateKeyPem());
            LOG.debugf("Took a new peer certificate for SSL torrents");
        } catch (IOException | IllegalArgumentException e) {
            LOG.errorf("Cannot take the peer certificate from the check-in answer: %s", e.getMessage());
        }
    }

    private void apply(CheckInResponse response) throws IOException {
        // Keys first: the deployments in this very answer may be signed with a key the new set brings.
        Optional<KeySet> taken = trust.offer(response.keySet(), clock.instant());
        if (taken.isPresent()) {
            floors.taken(taken.get());
        }
        if (response.peerSources() != null) {
            swarm.updatePeerSources(response.peerSources());
        }
        if (response.peerCertificate() != null) {
            takePeerCertificate(response.peerCertificate());
        }
        // The list itself is unsigned: without a valid assignment, nothing in it starts or stops work.
        Optional<Assignment> accepted = assignments.accept(response.assignment());
        if (accepted.isEmpty()) {
            return;
        }
        Map<String, AssignedDeployment> assigned = new HashMap<>();
        accepted.get().deployments().forEach(a -> assigned.put(a.id(), a));
        Set<String> listed = new HashSet<>();
        for (DesiredDeployment d : response.deployments()) {
            Optional<String> problem = DeploymentRefusals.problem(d);
            if (!NameRules.isId(d.id())) {
                refusals.refuse(d, problem.orElseThrow());
                continue;
            }
            AssignedDeployment a = assigned.get(d.id());
            if (a == null) {
                refusals.unassigned(d, "the signed assignment does not give it to this agent");
                continue;
            }
            listed.add(d.id());
            if (a.cancelled()) {
                cancel(d.id());
                continue;
            }
            if (problem.isEmpty()) {
                problem = mismatch(d, a);
            }
            if (problem.isPresent()) {
                // Known already: the journal's names, checked when they came, stay in charge.
                if (journal.get(d.id()).isEmpty()) {
                    refusals.refuse(d, problem.get());
                }
                continue;
            }
            if (d.stripe() != null && d.stripe().valid()) {
                stripes.put(d.id(), d.stripe());
            }
            journal.begin(d.id(), d.product(), d.version(), d.manifest(), d.signature());
            InstallPolicy install = a.downloadOnly() && !d.install().downloadOnly() ? new InstallPolicy(true,
                    d.install().windowOpensAt(), d.install().windowClosesAt(), d.install().deadline()) : d.install();
            DeploymentRecord record = journal.install(d.id(), install);
            if (!record.state().isFinal()) {
                submit(d.id());
            }
        }
        // Work the signed assignment no longer names was cancelled or deleted there.
        for (DeploymentRecord record : journal.unfinished()) {
            AssignedDeployment a = assigned.get(record.id());
            if (a == null || a.cancelled()) {
                cancel(record.id());
            }
        }
        for (AssignedDeployment a : assigned.values()) {
            if (!a.cancelled() && !listed.contains(a.id()) && journal.get(a.id()).isEmpty() && withheld.add(a.id())) {
                LOG.warnf("The signed assignment names deployment %s (%s %s), but the check-in answer does not carry it: "
                        + "withheld on the way?", a.id(), NameRules.printable(a.product()), NameRules.printable(a.version()));
            }
        }
        stripes.keySet().retainAll(listed);
        journal.pruneFinishedBefore(clock.instant().minus(FORGET_FINISHED_AFTER));
    }

    /** Why {@code d} is not the release the assignment names, if it is not. */
    private static Optional<String> mismatch(DesiredDeployment d, AssignedDeployment a) {
        String digest;
        try {
            digest = AssignmentSigner.manifestDigest(Base64.getDecoder().decode(d.manifest()));
        } catch (IllegalArgumentException e) {
            return Optional.of("its manifest is not base64");
        }
        if (!a.product().equals(d.product()) || !a.version().equals(d.version()) || !a.manifestSha256().equals(digest)) {
            return Optional.of("it is not the release the signed assignment names (" + NameRules.printable(a.product())
                    + " " + NameRules.printable(a.version()) + ", sequence " + a.sequence() + ", manifest SHA-256 "
                    + a.manifestSha256() + ")");
        }
        return Optional.empty();
    }

    /** States the control plane has not heard of, from the journal: after an outage, or a restart. */
    private void sendUnreported() throws IOException {
        for (DeploymentRecord record : journal.unreported()) {
            if (running.containsKey(record.id()) && !record.state().isFinal()) {
                continue; // its runner reports on its own
            }
            DeploymentStatusReport report = DeploymentRunner.pendingReport(record);
            Reporter.Outcome outcome = reporter.send(record.id(), report);
            if (outcome == Reporter.Outcome.NOT_SENT) {
                return;
            }
            journal.reported(record.id(), record.state());
        }
    }

    private void cancel(String deploymentId) throws IOException {
        cancelRequested.add(deploymentId);
        wakeUps.cancel(deploymentId);
        Optional<DeploymentRecord> record = journal.get(deploymentId);
        if (record.isPresent() && !running.containsKey(deploymentId)
                && record.get().state().mayBecome(DeploymentState.CANCELLED)) {
            journal.transition(deploymentId, DeploymentState.CANCELLED);
            journal.reported(deploymentId, DeploymentState.CANCELLED);
            dropUnlessInstalled(record.get());
        }
    }

    /**
     * A cancelled deployment's bytes go, out of the swarm and off the disk: one that waited in
     * DOWNLOADED (download only, or for its window) would otherwise seed and fill the disk for
     * an install that will not come. Unless that very version is installed: it seeds from there.
     */
    private void dropUnlessInstalled(DeploymentRecord r) {
        boolean isInstalled = installed.toInventory().stream()
                .anyMatch(i -> i.product().equals(r.product()) && i.version().equals(r.version()));
        if (!isInstalled) {
            dropDownloads(r.product(), r.version());
        }
    }

    /** After a restart: installed releases go back into the swarm, from their download folders. */
    private void reseedInstalled() {
        for (InstalledRelease r : installed.toInventory()) {
            if (!r.active()) {
                continue;
            }
            journal.all().stream()
                    .filter(d -> d.product().equals(r.product()) && d.version().equals(r.version())
                            && d.state() == DeploymentState.INSTALLED)
                    .findFirst()
                    .ifPresent(d -> {
                        try (var files = Files.list(torrentFolder(d.id()))) {
                            Path folder = DeploymentRunner.downloadFolder(sync.downloads(), r.product(), r.version());
                            for (Path t : files.filter(f -> f.toString().endsWith(".torrent")).toList()) {
                                swarm.download(Files.readAllBytes(t), folder);
                            }
                        } catch (ConfinedPaths.EscapeException e) {
                            LOG.warnf("Not seeding %s %s again: %s", r.product(), r.version(), e.getMessage());
                        } catch (IOException | RuntimeException e) {
                            LOG.debugf("Not seeding %s %s again: %s", r.product(), r.version(), e.getMessage());
                        }
                    });
        }
    }

    private void submit(String deploymentId) {
        if (running.putIfAbsent(deploymentId, Boolean.TRUE) != null) {
            return;
        }
        runners.execute(() -> {
            try {
                DeploymentRecord record = journal.get(deploymentId).orElseThrow();
                DeploymentRunner runner = new DeploymentRunner(deploymentId, sync, clock);
                DeploymentState end = runner.run(() -> cancelRequested.contains(deploymentId));
                if (end == DeploymentState.DOWNLOADED) {
                    runner.wakeAt().ifPresent(at -> wakeUps.at(deploymentId, at));
                }
                if (end == DeploymentState.INSTALLED) {
                    retireOlderVersions(record.product(), record.version());
                }
                if (end == DeploymentState.CANCELLED) {
                    dropUnlessInstalled(record);
                }
                if (end.isFinal()) {
                    cancelRequested.remove(deploymentId);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.errorf(e, "Deployment %s stopped unexpectedly; it resumes at the next check-in", deploymentId);
            } finally {
                running.remove(deploymentId);
            }
        });
    }

    /** A newer version replaces the older ones in the swarm; their installed folders stay (Installer keeps them). */
    private void retireOlderVersions(String product, String version) {
        for (DeploymentRecord record : journal.all()) {
            if (record.product().equals(product) && !record.version().equals(version)) {
                dropDownloads(product, record.version());
            }
        }
    }

    /** Out of the swarm, and off the disk. */
    private void dropDownloads(String product, String version) {
        Path folder;
        try {
            folder = DeploymentRunner.downloadFolder(sync.downloads(), product, version);
        } catch (ConfinedPaths.EscapeException e) {
            LOG.warnf("Not removing the downloads of %s %s: %s", product, NameRules.printable(version), e.getMessage());
            return;
        }
        for (var download : swarm.downloads()) {
            if (download.saveDir().equals(folder)) {
                download.remove(false);
            }
        }
        deleteQuietly(folder);
    }

    /** Local copy first, so that a restarted agent resumes without the control plane. */
    private byte[] torrent(String deploymentId, String artifact) {
        Path local = ConfinedPaths.under(torrentFolder(deploymentId), artifact + ".torrent");
        try {
            if (Files.isRegularFile(local)) {
                return Files.readAllBytes(local);
            }
            String path = ControlPlaneClient.BASE + "/deployments/" + URLEncoder.encode(deploymentId, StandardCharsets.UTF_8)
                    + "/artifacts/" + URLEncoder.encode(artifact, StandardCharsets.UTF_8) + "/torrent";
            byte[] torrent = client.torrent(path);
            AtomicFiles.write(local, torrent, true);
            return torrent;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws ConfinedPaths.EscapeException for an id that would lead out of the torrents folder */
    private Path torrentFolder(String deploymentId) {
        return ConfinedPaths.under(stateDir.resolve("torrents"), deploymentId);
    }

    private void writeStatus() {
        try {
            assignments.checkFreeze();
            statusFile.update(new StatusFile.Status(identity.agentId(), identity.serverUrl(), ProcessHandle.current().pid(),
                    clock.instant(), lastCheckIn, installed.toInventory(), swarm.status(), journal.all(),
                    journal.unreported().size(), assignments.status()));
        } catch (RuntimeException e) {
            LOG.debugf(e, "Cannot write the status file");
        }
    }

    private long freeDisk() {
        try {
            return Files.getFileStore(stateDir).getUsableSpace();
        } catch (IOException e) {
            return -1;
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void deleteQuietly(Path folder) {
        try (var walk = Files.walk(folder)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debugf("Cannot delete %s: %s", folder, e.getMessage());
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        return r -> {
            Thread t = new Thread(r, "starling-" + name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        loop.shutdownNow();
        runners.shutdownNow();
        try {
            runners.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeStatus();
        swarm.close();
    }
}
