package io.starling.agent.state;

import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.DeploymentState;
import io.starling.protocol.agent.InstallPolicy;
import io.starling.protocol.names.NameRules;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The agent's record of every deployment it works on, in {@value #FILE_NAME} in the state folder,
 * rewritten atomically on every change before the change is visible: a restart resumes each
 * deployment where the journal says it was. Thread-safe.
 *
 * <p>Each call writes the whole file; progress updates ({@link #addBytes}) are meant to come a few
 * times a minute, not per piece.
 */
public final class DeploymentJournal {

    private static final Logger LOG = Logger.getLogger(DeploymentJournal.class);

    public static final String FILE_NAME = "deployments.json";
    static final int FORMAT = 1;

    record Document(int format, Map<String, DeploymentRecord> deployments) {
    }

    private final Path file;
    private final Clock clock;
    private Map<String, DeploymentRecord> deployments;

    private DeploymentJournal(Path file, Clock clock, Map<String, DeploymentRecord> deployments) {
        this.file = file;
        this.clock = clock;
        this.deployments = deployments;
    }

    public static DeploymentJournal open(Path stateDir) throws IOException {
        return open(stateDir, Clock.systemUTC());
    }

    public static DeploymentJournal open(Path stateDir, Clock clock) throws IOException {
        Path file = stateDir.resolve(FILE_NAME);
        AtomicFiles.removeLeftovers(file);
        Map<String, DeploymentRecord> deployments = StateJson.read(file, Document.class)
                .map(d -> d.deployments() == null ? Map.<String, DeploymentRecord>of() : d.deployments())
                .orElse(Map.of());
        Map<String, DeploymentRecord> kept = new TreeMap<>();
        deployments.forEach((key, record) -> {
            Optional<String> problem = problem(key, record);
            if (problem.isPresent()) {
                // Written by an agent from before names were checked on arrival, or edited by
                // hand: its names would become folders, so it is not followed. The entry stays
                // in the file, for whoever investigates, until the journal next changes.
                LOG.warnf("Dropping deployment '%s' from %s: %s", NameRules.printable(key), file, problem.get());
            } else {
                kept.put(key, record);
            }
        });
        return new DeploymentJournal(file, clock, kept);
    }

    private static Optional<String> problem(String key, DeploymentRecord record) {
        if (record == null) {
            return Optional.of("no record");
        }
        if (!key.equals(record.id())) {
            return Optional.of("it is filed under another id, '" + NameRules.printable(record.id()) + "'");
        }
        if (record.state() == null || record.manifest() == null || record.signature() == null) {
            return Optional.of("its state, manifest or signature is missing");
        }
        return DeploymentNames.problem(record.id(), record.product(), record.version());
    }

    public synchronized Optional<DeploymentRecord> get(String id) {
        return Optional.ofNullable(deployments.get(id));
    }

    /** Every deployment, by id. */
    public synchronized List<DeploymentRecord> all() {
        return List.copyOf(deployments.values());
    }

    /** The deployments not yet in a final state: the work to resume after a restart. */
    public synchronized List<DeploymentRecord> unfinished() {
        return deployments.values().stream().filter(d -> !d.state().isFinal()).toList();
    }

    /** The deployments whose current state the control plane has not acknowledged yet. */
    public synchronized List<DeploymentRecord> unreported() {
        return deployments.values().stream().filter(DeploymentRecord::needsReport).toList();
    }

    /**
     * Starts recording a deployment in PENDING. If the journal knows the id already, it is
     * returned as it is (the control plane repeats a deployment at every check-in until it is
     * final), except that an unfinished one takes a renewed manifest.
     *
     * @param manifest  the signed manifest bytes, base64, as the check-in carried them
     * @param signature the signature, base64
     * @throws IllegalArgumentException for names {@link DeploymentNames} refuses: callers check
     *                                  them first, this is the last line
     */
    public synchronized DeploymentRecord begin(String id, String product, String version, String manifest,
                                               String signature) throws IOException {
        DeploymentNames.problem(id, product, version).ifPresent(problem -> {
            throw new IllegalArgumentException("not a deployment this agent can record: " + problem);
        });
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(signature, "signature");
        DeploymentRecord known = deployments.get(id);
        if (known != null) {
            // The control plane signs a manifest again before it expires. A deployment that waits
            // (download only, a maintenance window, a long download) installs under the newest one,
            // not fail as EXPIRED on the one it first heard. Trust is unchanged: the runner checks
            // signature, key, expiry, sequence and product/version before every install.
            boolean renewed = !manifest.equals(known.manifest()) || !signature.equals(known.signature());
            return renewed && !known.state().isFinal() ? put(known.withManifest(manifest, signature, clock.instant()))
                    : known;
        }
        Instant now = clock.instant();
        return put(new DeploymentRecord(id, product, version, DeploymentState.PENDING, manifest, signature,
                BytesBySource.NONE, null, null, null, null, List.of(), now, now, InstallPolicy.AT_ONCE));
    }

    /** Keeps what the control plane says now about when to install; written only when it changed. */
    public synchronized DeploymentRecord install(String id, InstallPolicy policy) throws IOException {
        DeploymentRecord d = require(id);
        return d.install().equals(policy) ? d : put(d.with(policy, clock.instant()));
    }

    /** Notes why a downloaded deployment waits to install, once the control plane has heard it. */
    public synchronized DeploymentRecord waiting(String id, String detail) throws IOException {
        DeploymentRecord d = require(id);
        return put(d.with(d.state(), d.bytes(), d.reportedState(), d.reason(), detail, d.exitCode(), d.output(),
                clock.instant()));
    }

    /**
     * Moves a deployment to {@code next}; why it waited (its detail) stays behind.
     *
     * @throws DeploymentState.IllegalStateTransitionException if the state table does not allow it
     * @throws NoSuchElementException                          for an unknown id
     */
    public synchronized DeploymentRecord transition(String id, DeploymentState next) throws IOException {
        DeploymentRecord d = require(id);
        DeploymentState to = d.state().transitionTo(next);
        return put(d.with(to, d.bytes(), d.reportedState(), d.reason(), null, d.exitCode(), d.output(),
                clock.instant()));
    }

    /**
     * Moves a deployment to FAILED with why.
     *
     * @param exitCode the failing command's exit code, or null
     * @param output   the failing command's last output lines, or null
     */
    public synchronized DeploymentRecord fail(String id, String reason, String detail, Integer exitCode,
                                              List<String> output) throws IOException {
        DeploymentRecord d = require(id);
        DeploymentState to = d.state().transitionTo(DeploymentState.FAILED);
        return put(d.with(to, d.bytes(), d.reportedState(), reason, detail, exitCode, output, clock.instant()));
    }

    /** Adds downloaded bytes to the deployment's running totals. */
    public synchronized DeploymentRecord addBytes(String id, BytesBySource downloaded) throws IOException {
        DeploymentRecord d = require(id);
        return put(d.with(d.state(), d.bytes().plus(downloaded), d.reportedState(), d.reason(), d.detail(),
                d.exitCode(), d.output(), clock.instant()));
    }

    /** Notes that the control plane acknowledged {@code state} for this deployment. */
    public synchronized DeploymentRecord reported(String id, DeploymentState state) throws IOException {
        DeploymentRecord d = require(id);
        return put(d.with(d.state(), d.bytes(), state, d.reason(), d.detail(), d.exitCode(), d.output(),
                clock.instant()));
    }

    /** Forgets a deployment (one that is final and reported, or that the control plane dropped). */
    public synchronized void remove(String id) throws IOException {
        if (!deployments.containsKey(id)) {
            return;
        }
        Map<String, DeploymentRecord> next = new TreeMap<>(deployments);
        next.remove(id);
        save(next);
    }

    /** Forgets final, reported deployments last changed before {@code cutoff}; returns how many. */
    public synchronized int pruneFinishedBefore(Instant cutoff) throws IOException {
        Map<String, DeploymentRecord> next = new TreeMap<>(deployments);
        next.values().removeIf(d -> d.state().isFinal() && !d.needsReport() && d.updatedAt().isBefore(cutoff));
        int removed = deployments.size() - next.size();
        if (removed > 0) {
            save(next);
        }
        return removed;
    }

    private DeploymentRecord require(String id) {
        DeploymentRecord d = deployments.get(id);
        if (d == null) {
            throw new NoSuchElementException("no deployment " + id + " in the journal");
        }
        return d;
    }

    private DeploymentRecord put(DeploymentRecord d) throws IOException {
        Map<String, DeploymentRecord> next = new TreeMap<>(deployments);
        next.put(d.id(), d);
        save(next);
        return d;
    }

    private void save(Map<String, DeploymentRecord> next) throws IOException {
        StateJson.write(file, new Document(FORMAT, next), false);
        deployments = next;
    }
}
