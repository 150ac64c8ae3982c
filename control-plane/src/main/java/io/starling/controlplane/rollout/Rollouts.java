package io.starling.controlplane.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.controlplane.catalog.Catalog;
import io.starling.controlplane.catalog.Release;
import io.starling.controlplane.catalog.ReleaseState;
import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.fleet.Agent;
import io.starling.controlplane.fleet.AgentState;
import io.starling.controlplane.site.Site;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Creates rollouts: checks the target and the waves against the fleet, splits once, and starts. */
@ApplicationScoped
public class Rollouts {

    static final int DEFAULT_SUCCESS_THRESHOLD = 100;
    static final int DEFAULT_ERROR_THRESHOLD = 0;

    private final RolloutEngine engine;
    private final RolloutViews views;
    private final ObjectMapper json;
    private final RolloutsConfig config;

    Rollouts(RolloutEngine engine, RolloutViews views, ObjectMapper json, RolloutsConfig config) {
        this.engine = engine;
        this.views = views;
        this.json = json;
        this.config = config;
    }

    /**
     * Splits the target into waves once, stores who is in which, and starts the rollout at once
     * unless it starts later or waits for approval: the first wave's deployments exist when this
     * returns.
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
        List<List<WaveSplit.Member>> split = split(agents, request.waves());

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
        if (config.approvalRequired()) {
            r.awaitApproval();
        }
        r.persist();
        for (int i = 0; i < request.waves().size(); i++) {
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
        return views.view(r);
    }

    /**
     * The split {@link #create} would make now, without creating anything or looking at the
     * release: the wizard shows it live as the target is edited. A target that matches no agent is
     * an answer here (zero agents), not the refusal it is for a real rollout.
     */
    @Transactional
    public RolloutPreview preview(RolloutRequest request) {
        List<Agent> agents = targets(request.target() == null ? new RolloutRequest.Target(null, null, null)
                : request.target());
        List<List<WaveSplit.Member>> split = split(agents, request.waves());
        List<RolloutPreview.WavePreview> waves = new ArrayList<>();
        for (int i = 0; i < split.size(); i++) {
            waves.add(new RolloutPreview.WavePreview(request.waves().get(i).name(), split.get(i).size()));
        }
        return new RolloutPreview(agents.size(), waves);
    }

    private static List<List<WaveSplit.Member>> split(List<Agent> agents, List<RolloutRequest.WaveRequest> waves) {
        checkWaveSelectors(waves, agents);
        return WaveSplit.split(agents.stream().map(a -> new WaveSplit.Member(a.id, a.site, Set.of(a.labels))).toList(),
                waves.stream().map(Rollouts::rule).toList());
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
                // Set.copyOf's sets throw on contains(null): an agent on no site is simply not on the sites.
                .filter(a -> sites == null || (a.site != null && sites.contains(a.site)))
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

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
