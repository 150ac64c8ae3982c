package io.starling.controlplane.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.controlplane.catalog.Catalog;
import io.starling.controlplane.catalog.Release;
import io.starling.controlplane.catalog.ReleaseState;
import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.common.Names;
import io.starling.controlplane.deployment.Deployments;
import io.starling.controlplane.fleet.Agent;
import io.starling.controlplane.fleet.AgentState;
import io.starling.controlplane.site.Site;
import io.starling.protocol.agent.DeploymentState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Creates rollouts, answers how they go, and carries out operators' controls under the rollout's lock. */
@ApplicationScoped
public class Rollouts {

    static final int DEFAULT_SUCCESS_THRESHOLD = 100;
    static final int DEFAULT_ERROR_THRESHOLD = 0;

    private final RolloutEngine engine;
    private final Deployments deployments;
    private final ObjectMapper json;

    Rollouts(RolloutEngine engine, Deployments deployments, ObjectMapper json) {
        this.engine = engine;
        this.deployments = deployments;
        this.json = json;
    }

    /**
     * Splits the target into waves once, stores who is in which, and starts the rollout at once
     * unless it starts later: the first wave's deployments exist when this returns.
     */
    @Transactional
    public RolloutView create(RolloutRequest request, String actor) {
        // Locked as a deployment request does: a revocation committing meanwhile is either seen
        // here, or sees this rollout and pauses it.
        Release release = Catalog.lockRelease(request.product(), request.version());
        if (release.state() != ReleaseState.PUBLISHED) {
            throw new DomainException.Conflict("Release " + request.product() + " " + request.version() + " is "
                    + release.state().name().toLowerCase() + "; only a published release can be rolled out.");
        }
        RolloutRequest.Target target = request.target() == null ? new RolloutRequest.Target(null, null, null)
                : request.target();
        List<Agent> agents = targets(target);
        if (agents.isEmpty()) {
            throw new DomainException.Invalid("target: matches no active agent" + (isEmpty(target) ? "" : " (" + describe(target)
                    + ")") + "; a rollout needs at least one.");
        }
        checkWaveSelectors(request.waves(), agents);
        List<WaveSplit.Rule> rules = request.waves().stream().map(Rollouts::rule).toList();
        List<List<WaveSplit.Member>> split = WaveSplit.split(agents.stream()
                .map(a -> new WaveSplit.Member(a.id, a.site, Set.of(a.labels))).toList(), rules);

        Instant now = Instant.now();
        Rollout r = new Rollout();
        r.id = UUID.randomUUID();
        r.name = request.name().strip();
        r.release = release;
        r.successThreshold = Optional.ofNullable(request.successThreshold()).orElse(DEFAULT_SUCCESS_THRESHOLD);
        r.errorThreshold = Optional.ofNullable(request.errorThreshold()).orElse(DEFAULT_ERROR_THRESHOLD);
        r.waveTimeoutSeconds = request.waveTimeout() == null ? null
                : RolloutRequestCheck.parseDuration(request.waveTimeout()).toSeconds();
        r.advance = Optional.ofNullable(request.advance()).orElse(Advance.AUTO);
        r.mode = Optional.ofNullable(request.mode()).orElse(RolloutMode.INSTALL);
        r.startAt = request.startAt() == null ? null : RolloutRequestCheck.parseInstant(request.startAt());
        r.deadline = request.deadline() == null ? null : RolloutRequestCheck.parseInstant(request.deadline());
        r.targetJson = write(target);
        r.maintenanceWindowJson = request.maintenanceWindow() == null ? null : write(request.maintenanceWindow());
        r.dynamic = Boolean.TRUE.equals(request.dynamic());
        r.createdAt = now;
        r.createdBy = actor;
        r.updatedAt = now;
        r.persist();
        for (int i = 0; i < rules.size(); i++) {
            RolloutRequest.WaveRequest asked = request.waves().get(i);
            Wave w = new Wave();
            w.rollout = r;
            w.position = i;
            w.name = asked.name();
            w.selectorJson = write(WaveSelector.of(asked));
            w.successThreshold = Optional.ofNullable(asked.successThreshold()).orElse(r.successThreshold);
            w.errorThreshold = Optional.ofNullable(asked.errorThreshold()).orElse(r.errorThreshold);
            w.agentCount = split.get(i).size();
            w.persist();
            for (WaveSplit.Member m : split.get(i)) {
                RolloutAgent ra = new RolloutAgent();
                ra.rolloutId = r.id;
                ra.wave = w;
                ra.agent = Agent.getEntityManager().getReference(Agent.class, m.id());
                ra.persist();
            }
        }
        engine.step(r, now);
        return view(r);
    }

    @Transactional
    public List<RolloutSummary> list(RolloutState state, int offset, int limit) {
        List<Rollout> page = (state == null ? Rollout.<Rollout>find("order by createdAt desc, id")
                : Rollout.<Rollout>find("state = ?1 order by createdAt desc, id", state))
                .range(offset, offset + limit - 1).list();
        Map<UUID, Map<String, Long>> counts = RolloutStatus.totals(page.stream().map(r -> r.id).toList());
        return page.stream().map(r -> {
            Map<String, Long> c = counts.getOrDefault(r.id, RolloutStatus.emptyCounts());
            return new RolloutSummary(r.id, r.name, r.release.product.name, r.release.version, r.state(), r.pauseReason,
                    c.values().stream().mapToLong(Long::longValue).sum(), c, r.createdAt, r.createdBy, r.startedAt,
                    r.finishedAt);
        }).toList();
    }

    @Transactional
    public RolloutView get(String id) {
        return view(require(id));
    }

    /** @param state a deployment state, or NOT_DEPLOYED; {@code wave} a wave's name; each may be null */
    @Transactional
    public List<RolloutAgentView> agents(String id, String state, String wave, String site, int offset, int limit) {
        Rollout r = require(id);
        StringBuilder q = new StringBuilder("from RolloutAgent ra join fetch ra.agent a join fetch ra.wave w"
                + " left join fetch ra.deployment d where ra.rolloutId = :id");
        Map<String, Object> params = new HashMap<>();
        params.put("id", r.id);
        if (state != null) {
            if (state.equals(RolloutStatus.NOT_DEPLOYED)) {
                q.append(" and d is null");
            } else {
                q.append(" and d.state = :state");
                params.put("state", deploymentState(state));
            }
        }
        if (wave != null) {
            q.append(" and w.name = :wave");
            params.put("wave", wave);
        }
        if (site != null) {
            q.append(" and a.site = :site");
            params.put("site", Names.site(site));
        }
        q.append(" order by w.position, a.hostname, a.id");
        return RolloutAgent.<RolloutAgent>find(q.toString(), params).range(offset, offset + limit - 1).list().stream()
                .map(Rollouts::agentView).toList();
    }

    @Transactional
    public RolloutView pause(String id, String actor) {
        Rollout r = lock(id);
        if (r.state() != RolloutState.RUNNING) {
            throw refused(r, "only a running rollout can be paused");
        }
        engine.pause(r, PauseReason.OPERATOR, "Paused by " + actor + ".", Instant.now());
        return view(r);
    }

    /**
     * Goes on where it stopped. A wave that had timed out gets the wave timeout again; after an
     * error threshold the failed wave stays failed, and the next starts (AUTO) or waits (MANUAL).
     */
    @Transactional
    public RolloutView resume(String id, String actor) {
        Rollout r = lock(id);
        if (r.state() != RolloutState.PAUSED) {
            throw refused(r, "only a paused rollout can be resumed");
        }
        refuseIfRevoked(r);
        Instant now = Instant.now();
        r.moveTo(RolloutState.RUNNING, now);
        r.pauseReason = null;
        r.pauseDetail = null;
        for (Wave w : Wave.of(r)) {
            if (w.state() == WaveState.RUNNING && w.timesOutAt != null && !now.isBefore(w.timesOutAt)) {
                w.timesOutAt = now.plusSeconds(r.waveTimeoutSeconds);
            }
        }
        engine.run(r, now);
        return view(r);
    }

    /** Ends the rollout: waves not ended are cancelled, and so are its deployments not installing yet. */
    @Transactional
    public RolloutView cancel(String id, String actor) {
        Rollout r = lock(id);
        if (r.state().isFinal()) {
            throw refused(r, "it has ended already");
        }
        Instant now = Instant.now();
        r.moveTo(RolloutState.CANCELLED, now);
        r.finishedAt = now;
        for (Wave w : Wave.of(r)) {
            if (!w.state().isFinal()) {
                w.moveTo(WaveState.CANCELLED, now);
            }
        }
        List<UUID> ids = Rollout.getEntityManager().createQuery("select ra.deployment.id from RolloutAgent ra"
                + " where ra.rolloutId = :id and ra.deployment is not null", UUID.class).setParameter("id", r.id)
                .getResultList();
        deployments.cancelAllOf(ids, "Rollout '" + r.name + "' cancelled by " + actor + ".");
        return view(r);
    }

    /**
     * Starts the next wave now: past a MANUAL gate, ahead of a wave still short of its success
     * threshold (which keeps running, without its timeout), or out of a pause.
     */
    @Transactional
    public RolloutView advance(String id, String actor) {
        Rollout r = lock(id);
        if (r.state() != RolloutState.RUNNING && r.state() != RolloutState.PAUSED) {
            throw refused(r, "only a running or paused rollout can advance");
        }
        refuseIfRevoked(r);
        List<Wave> waves = Wave.of(r);
        Wave next = waves.stream().filter(w -> w.state() == WaveState.PENDING).findFirst()
                .orElseThrow(() -> new DomainException.Conflict("Rollout '" + r.name + "' is " + r.state().label()
                        + " and every wave has started already; there is nothing to advance to."));
        Instant now = Instant.now();
        if (r.state() == RolloutState.PAUSED) {
            r.moveTo(RolloutState.RUNNING, now);
            r.pauseReason = null;
            r.pauseDetail = null;
        }
        waves.stream().filter(w -> w.state() == WaveState.RUNNING).forEach(w -> w.timesOutAt = null);
        if (engine.startWave(r, next, now)) {
            engine.run(r, now);
        }
        return view(r);
    }

    private static void refuseIfRevoked(Rollout r) {
        if (r.pauseReason == PauseReason.RELEASE_REVOKED || r.release.state() != ReleaseState.PUBLISHED) {
            throw new DomainException.Conflict("Rollout '" + r.name + "' is " + r.state().label() + " because release "
                    + r.release.product.name + " " + r.release.version + " was revoked; it can only be cancelled.");
        }
    }

    private static DomainException.Conflict refused(Rollout r, String why) {
        return new DomainException.Conflict("Rollout '" + r.name + "' is " + r.state().label() + "; " + why + ".");
    }

    private RolloutView view(Rollout r) {
        RolloutStatus status = RolloutStatus.of(r.id);
        List<Wave> waves = Wave.of(r);
        List<RolloutView.WaveView> waveViews = waves.stream().map(w -> new RolloutView.WaveView(w.position, w.name,
                read(w.selectorJson, WaveSelector.class), w.state(), w.agentCount, w.successThreshold, w.errorThreshold,
                status.wave(w.id), w.startedAt, w.timesOutAt, w.finishedAt)).toList();
        boolean waiting = r.state() == RolloutState.RUNNING && r.advance == Advance.MANUAL
                && waves.stream().noneMatch(w -> w.state() == WaveState.RUNNING)
                && waves.stream().anyMatch(w -> w.state() == WaveState.PENDING);
        return new RolloutView(r.id, r.name, r.release.product.name, r.release.version, r.state(), r.pauseReason,
                r.pauseDetail, waiting, read(r.targetJson, RolloutRequest.Target.class), r.successThreshold,
                r.errorThreshold, r.waveTimeoutSeconds == null ? null : Duration.ofSeconds(r.waveTimeoutSeconds).toString(),
                r.advance, r.mode, r.startAt, r.deadline,
                r.maintenanceWindowJson == null ? null : read(r.maintenanceWindowJson, RolloutRequest.MaintenanceWindow.class),
                r.dynamic, status.agents(), status.total(), status.bytes(), waveViews, status.sites(), r.createdAt,
                r.createdBy, r.startedAt, r.finishedAt, r.updatedAt);
    }

    private static RolloutAgentView agentView(RolloutAgent ra) {
        var d = ra.deployment;
        if (d == null) {
            return new RolloutAgentView(ra.agent.id, ra.agent.hostname, ra.agent.site, ra.wave.name, null,
                    RolloutStatus.NOT_DEPLOYED, null, null, null, List.of(), null);
        }
        List<String> output = d.output == null || d.output.isEmpty() ? List.of() : List.of(d.output.split("\n", -1));
        return new RolloutAgentView(ra.agent.id, ra.agent.hostname, ra.agent.site, ra.wave.name, d.id, d.state().name(),
                d.reason, d.detail, d.exitCode, output, d.updatedAt);
    }

    /** Active agents on any of the sites, with all the labels, among the ids: each part only if given. */
    private static List<Agent> targets(RolloutRequest.Target t) {
        List<String> problems = new ArrayList<>();
        if (t.sites() != null) {
            List<String> unknown = t.sites().stream().filter(s -> Site.byName(s).isEmpty()).toList();
            if (!unknown.isEmpty()) {
                problems.add("target: no such sites: " + String.join(", ", unknown));
            }
        }
        Set<UUID> ids = null;
        if (t.agentIds() != null && !t.agentIds().isEmpty()) {
            ids = t.agentIds().stream().map(UUID::fromString).collect(Collectors.toCollection(LinkedHashSet::new));
            Set<UUID> found = new HashSet<>(Rollout.getEntityManager()
                    .createQuery("select a.id from Agent a where a.id in :ids", UUID.class).setParameter("ids", ids)
                    .getResultList());
            List<String> unknown = ids.stream().filter(id -> !found.contains(id)).map(UUID::toString).toList();
            if (!unknown.isEmpty()) {
                problems.add("target: no such agents: " + summary(unknown));
            }
        }
        if (!problems.isEmpty()) {
            throw new DomainException.Invalid(String.join("; ", problems) + ".");
        }
        Set<String> sites = t.sites() == null || t.sites().isEmpty() ? null : Set.copyOf(t.sites());
        Set<String> labels = t.labels() == null ? Set.of() : Set.copyOf(t.labels());
        Set<UUID> wanted = ids;
        List<Agent> active = ids == null ? Agent.list("state = ?1", AgentState.ACTIVE)
                : Agent.list("state = ?1 and id in ?2", AgentState.ACTIVE, ids);
        return active.stream()
                .filter(a -> sites == null || sites.contains(a.site))
                .filter(a -> Set.of(a.labels).containsAll(labels))
                .filter(a -> wanted == null || wanted.contains(a.id))
                .toList();
    }

    /** Explicit waves may only name sites that exist and agents of the target: anything else is a typo. */
    private static void checkWaveSelectors(List<RolloutRequest.WaveRequest> waves, List<Agent> targets) {
        Set<UUID> targeted = targets.stream().map(a -> a.id).collect(Collectors.toSet());
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < waves.size(); i++) {
            RolloutRequest.WaveRequest w = waves.get(i);
            if (w.sites() != null) {
                List<String> unknown = w.sites().stream().filter(s -> Site.byName(s).isEmpty()).toList();
                if (!unknown.isEmpty()) {
                    problems.add("waves[" + i + "]: no such sites: " + String.join(", ", unknown));
                }
            }
            if (w.agentIds() != null) {
                List<String> outside = w.agentIds().stream().filter(id -> !targeted.contains(UUID.fromString(id))).toList();
                if (!outside.isEmpty()) {
                    problems.add("waves[" + i + "]: not active agents of the target: " + summary(outside));
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new DomainException.Invalid(String.join("; ", problems) + ".");
        }
    }

    private static WaveSplit.Rule rule(RolloutRequest.WaveRequest w) {
        return new WaveSplit.Rule(w.percent(), w.sites(), w.labels(),
                w.agentIds() == null ? null : w.agentIds().stream().map(UUID::fromString).toList());
    }

    private static boolean isEmpty(RolloutRequest.Target t) {
        return (t.sites() == null || t.sites().isEmpty()) && (t.labels() == null || t.labels().isEmpty())
                && (t.agentIds() == null || t.agentIds().isEmpty());
    }

    private static String describe(RolloutRequest.Target t) {
        List<String> parts = new ArrayList<>();
        if (t.sites() != null && !t.sites().isEmpty()) {
            parts.add("on sites " + String.join(", ", t.sites()));
        }
        if (t.labels() != null && !t.labels().isEmpty()) {
            parts.add("with labels " + String.join(", ", t.labels()));
        }
        if (t.agentIds() != null && !t.agentIds().isEmpty()) {
            parts.add("among " + t.agentIds().size() + " agent ids");
        }
        return String.join(", ", parts);
    }

    private static String summary(List<String> items) {
        int shown = Math.min(items.size(), 10);
        String text = String.join(", ", items.subList(0, shown));
        return items.size() > shown ? text + " and " + (items.size() - shown) + " more" : text;
    }

    private static DeploymentState deploymentState(String state) {
        try {
            return DeploymentState.valueOf(state);
        } catch (IllegalArgumentException e) {
            throw new DomainException.Invalid("state: must be one of " + Arrays.toString(DeploymentState.values())
                    .replaceAll("[\\[\\]]", "") + " or " + RolloutStatus.NOT_DEPLOYED + ".");
        }
    }

    private static Rollout require(String id) {
        return Rollout.<Rollout>findByIdOptional(parseId(id)).orElseThrow(() -> notFound(id));
    }

    private static Rollout lock(String id) {
        return Rollout.lock(parseId(id)).orElseThrow(() -> notFound(id));
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw notFound(id);
        }
    }

    private static DomainException.NotFound notFound(String id) {
        return new DomainException.NotFound("No rollout " + Names.printable(id) + ".");
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON no longer reads as " + type.getSimpleName(), e);
        }
    }
}
