package io.starling.agent.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.agent.config.AgentConfig;
import io.starling.agent.install.Installer;
import io.starling.agent.state.AgentIdentity;
import io.starling.agent.state.AtomicFiles;
import io.starling.agent.state.DeploymentJournal;
import io.starling.agent.state.DeploymentRecord;
import io.starling.agent.state.InstalledReleases;
import io.starling.agent.swarm.AgentSwarm;
import io.starling.agent.swarm.SwarmSettings;
import io.starling.agent.verify.ReleaseVerifier;
import io.starling.protocol.agent.CheckInRequest;
import io.starling.protocol.agent.CheckInResponse;
import io.starling.protocol.agent.DeploymentState;
import io.starling.protocol.agent.DesiredArtifact;
import io.starling.protocol.agent.DesiredDeployment;
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
import java.util.Map;
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
    private final AgentSwarm swarm;
    private final DeploymentJournal journal;
    private final InstalledReleases installed;
    private final Reporter reporter;
    private final DeploymentRunner.Sync sync;
    private final Backoff backoff;
    private final StatusFile statusFile;
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(daemonThreads("check-in"));
    private final ExecutorService runners = Executors.newFixedThreadPool(2, daemonThreads("deployment"));
    private final Map<String, Boolean> running = new ConcurrentHashMap<>();
    private final Set<String> cancelRequested = ConcurrentHashMap.newKeySet();
    private volatile CheckInResult lastCheckIn = new CheckInResult(null, false, "not yet");

    /** How the last check-in went, for {@code status}. */
    public record CheckInResult(Instant at, boolean ok, String message) {
    }

    public AgentDaemon(AgentConfig config, AgentIdentity identity, TokenSource tokens, ObjectMapper json, Clock clock) {
        this.config = config;
        this.identity = identity;
        this.clock = clock;
        this.stateDir = config.stateDir();
        URI server = URI.create(config.checkIn().serverUrl().orElse(identity.serverUrl()));
        this.client = new ControlPlaneClient(server, tokens, json, config.checkIn().requestTimeout());
        this.journal = DeploymentJournal.open(stateDir);
        this.installed = InstalledReleases.open(stateDir);
        this.reporter = new Reporter(client);
        this.swarm = AgentSwarm.open(new SwarmSettings(config.swarm().listenInterface(), stateDir.resolve("resume"),
                config.swarm().uploadRateLimit(), config.swarm().downloadRateLimit(), config.swarm().seedTime()));
        this.sync = new DeploymentRunner.Sync(journal, installed, new ReleaseVerifier(identity.manifestKeys()), swarm,
                new Installer(config.installRoot(), config.keepVersions()), reporter, this::torrent,
                stateDir.resolve("downloads"), config.checkIn().progressInterval());
        this.backoff = new Backoff(config.checkIn().minBackoff(), config.checkIn().maxBackoff());
        this.statusFile = new StatusFile(stateDir, json);
    }

    public void start() {
        // Work the journal knew of carries on before the control plane is even asked.
        for (DeploymentRecord record : journal.all()) {
            if (!record.state().isFinal()) {
                submit(record.id());
            }
        }
        loop.execute(this::checkInAndReschedule);
        loop.scheduleWithFixedDelay(this::writeStatus, 0, 2, TimeUnit.SECONDS);
        LOG.infof("Agent %s started (server %s, swarm on %s)", identity.agentId(), identity.serverUrl(),
                config.swarm().listenInterface());
    }

    private void checkInAndReschedule() {
        Duration wait;
        try {
            CheckInResponse response = client.checkIn(inventory());
            backoff.succeeded();
            lastCheckIn = new CheckInResult(clock.instant(), true, "ok");
            apply(response);
            reporter.flush();
            Instant next = response.nextCheckInAt();
            wait = next == null ? config.checkIn().defaultInterval() : Duration.between(clock.instant(), next);
            if (wait.isNegative()) {
                wait = Duration.ZERO;
            }
        } catch (ControlPlaneException e) {
            wait = backoff.failed();
            lastCheckIn = new CheckInResult(clock.instant(), false, e.getMessage());
            if (e.unauthorized()) {
                LOG.errorf("Check-in refused (401): this agent may have been revoked. Retrying in %s. %s", wait,
                        e.getMessage());
            } else {
                LOG.warnf("Check-in failed, retrying in %s: %s", wait, e.getMessage());
            }
        } catch (RuntimeException e) {
            wait = backoff.failed();
            lastCheckIn = new CheckInResult(clock.instant(), false, String.valueOf(e));
            LOG.errorf(e, "Check-in failed unexpectedly, retrying in %s", wait);
        }
        if (!loop.isShutdown()) {
            loop.schedule(this::checkInAndReschedule, wait.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private CheckInRequest inventory() {
        return new CheckInRequest(VERSION, hostname(), config.swarm().listenInterface(), freeDisk(),
                installed.toInventory(), identity.labels());
    }

    private void apply(CheckInResponse response) {
        if (response.peerSources() != null) {
            swarm.updatePeerSources(response.peerSources());
        }
        Set<String> desired = ConcurrentHashMap.newKeySet();
        for (DesiredDeployment d : response.deployments()) {
            desired.add(d.id());
            if (d.state() == DeploymentState.CANCELLED) {
                cancel(d.id());
                continue;
            }
            if (d.notBefore() != null && clock.instant().isBefore(d.notBefore())) {
                continue;
            }
            DeploymentRecord record = journal.ensure(d.id(), d.product(), d.version(),
                    DeploymentRunner.base64(d.manifest()), DeploymentRunner.base64(d.signature()), torrentPaths(d));
            if (!record.state().isFinal()) {
                submit(d.id());
            }
        }
        // Work the control plane no longer lists was cancelled or deleted there.
        for (DeploymentRecord record : journal.all()) {
            if (!record.state().isFinal() && !desired.contains(record.id())) {
                cancel(record.id());
            }
        }
    }

    private static Map<String, String> torrentPaths(DesiredDeployment d) {
        Map<String, String> paths = new java.util.LinkedHashMap<>();
        for (DesiredArtifact a : d.artifacts()) {
            paths.put(a.name(), a.torrentPath());
        }
        return paths;
    }

    private void cancel(String deploymentId) {
        cancelRequested.add(deploymentId);
        journal.get(deploymentId).ifPresent(record -> {
            if (!running.containsKey(deploymentId) && record.state().mayBecome(DeploymentState.CANCELLED)) {
                journal.update(deploymentId, r -> r.moveTo(DeploymentState.CANCELLED, null));
            }
        });
    }

    private void submit(String deploymentId) {
        if (running.putIfAbsent(deploymentId, Boolean.TRUE) != null) {
            return;
        }
        runners.execute(() -> {
            try {
                DeploymentRecord record = journal.get(deploymentId).orElseThrow();
                DeploymentRunner runner = new DeploymentRunner(deploymentId, new DeploymentRunner.Release(
                        record.product(), record.version(), record.manifest(), record.signature()), sync, clock);
                DeploymentState end = runner.run(() -> cancelRequested.contains(deploymentId));
                if (end == DeploymentState.INSTALLED) {
                    retireOlderVersions(record.product(), record.version());
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
                Path folder = sync.downloads().resolve(product).resolve(record.version());
                swarm.stopSeedingFolder(folder);
                deleteQuietly(folder);
            }
        }
    }

    /** Local copy first, so that a restarted agent resumes without the control plane. */
    private byte[] torrent(String deploymentId, String artifact) {
        Path local = stateDir.resolve("torrents").resolve(deploymentId).resolve(artifact + ".torrent");
        try {
            if (Files.isRegularFile(local)) {
                return Files.readAllBytes(local);
            }
            String path = journal.get(deploymentId).map(r -> r.torrentPaths().get(artifact)).orElse(null);
            if (path == null) {
                path = ControlPlaneClient.BASE + "/deployments/" + URLEncoder.encode(deploymentId, StandardCharsets.UTF_8)
                        + "/artifacts/" + URLEncoder.encode(artifact, StandardCharsets.UTF_8) + "/torrent";
            }
            byte[] torrent = client.torrent(path);
            AtomicFiles.write(local, torrent, true);
            return torrent;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeStatus() {
        try {
            statusFile.write(new StatusFile.Status(identity.agentId(), identity.serverUrl(), clock.instant(), lastCheckIn,
                    installed.toInventory(), swarm.status(), journal.all(), reporter.queued()));
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
