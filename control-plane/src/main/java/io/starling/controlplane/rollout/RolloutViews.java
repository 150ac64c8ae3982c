package io.starling.controlplane.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.common.Ids;
import io.starling.controlplane.common.Names;
import io.starling.controlplane.deployment.MaintenanceWindow;
import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.DeploymentState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** Reads rollouts as operators see them: lists, a rollout's status, its agents. */
@ApplicationScoped
public class RolloutViews {

    private final ObjectMapper json;

    RolloutViews(ObjectMapper json) {
        this.json = json;
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
                .map(RolloutViews::agentView).toList();
    }

    RolloutView view(Rollout r) {
        RolloutStatus status = RolloutStatus.of(r.id);
        List<Wave> waves = Wave.of(r);
        List<RolloutView.WaveView> waveViews = waves.stream().map(w -> new RolloutView.WaveView(w.position, w.name,
                read(w.selectorJson, WaveSelector.class), w.state(), w.agentCount, w.successThreshold, w.errorThreshold,
                status.wave(w.id), w.startedAt, w.timesOutAt, w.finishedAt)).toList();
        Long releaseSize = releaseSize(r);
        BytesBySource bytes = status.bytes();
        boolean waiting = r.state() == RolloutState.RUNNING && r.advance == Advance.MANUAL
                && waves.stream().noneMatch(w -> w.state() == WaveState.RUNNING)
                && waves.stream().anyMatch(w -> w.state() == WaveState.PENDING);
        return new RolloutView(r.id, r.name, r.release.product.name, r.release.version, r.state(), r.pauseReason,
                r.pauseDetail, waiting, read(r.targetJson, RolloutRequest.Target.class), r.successThreshold,
                r.errorThreshold, r.waveTimeoutSeconds == null ? null : Duration.ofSeconds(r.waveTimeoutSeconds).toString(),
                r.advance, r.mode, r.startAt, r.deadline,
                r.maintenanceWindowJson == null ? null : read(r.maintenanceWindowJson, RolloutRequest.MaintenanceWindow.class),
                r.dynamic, status.agents(), status.total(), bytes, releaseSize, TransferRatios.wan(bytes, releaseSize),
                TransferRatios.origin(bytes, releaseSize), estimatedCompletion(r, waves, status), waveViews,
                status.sites(releaseSize), r.createdAt,
                r.createdBy, r.startedAt, r.finishedAt, r.updatedAt, r.decidedBy, r.decidedAt, r.decisionComment,
                windowOpening(r));
    }

    /** What the agents waiting in DOWNLOADED wait for: the same opening their check-in names. */
    private static MaintenanceWindow.Opening windowOpening(Rollout r) {
        MaintenanceWindow window = RolloutInstallPolicy.window(r.maintenanceWindowJson);
        return window == null ? null : window.openingAt(Instant.now()).orElse(null);
    }

    /** The sum of the release's artifact sizes: what each agent downloads; null for a release with none. */
    private static Long releaseSize(Rollout r) {
        Long size = Rollout.getEntityManager().createQuery("select sum(a.size) from Artifact a where a.release = :r",
                Long.class).setParameter("r", r.release).getSingleResult();
        return size == null || size == 0 ? null : size;
    }

    private static Instant estimatedCompletion(Rollout r, List<Wave> waves, RolloutStatus status) {
        List<Wave> running = waves.stream().filter(w -> w.state() == WaveState.RUNNING).toList();
        if (r.state() != RolloutState.RUNNING || running.isEmpty()) {
            return null;
        }
        Instant now = Instant.now();
        Instant start = CompletionEstimate.windowStart(now, running.stream().map(w -> w.startedAt)
                .filter(Objects::nonNull).min(Instant::compareTo).orElse(null));
        long done = RolloutStatus.doneSince(running.stream().map(w -> w.id).toList(), r.mode, start);
        return CompletionEstimate.estimate(true, now, start, done, status.remaining(r.mode));
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

    private static DeploymentState deploymentState(String state) {
        try {
            return DeploymentState.valueOf(state);
        } catch (IllegalArgumentException e) {
            throw new DomainException.Invalid("state: must be one of " + Arrays.toString(DeploymentState.values())
                    .replaceAll("[\\[\\]]", "") + " or " + RolloutStatus.NOT_DEPLOYED + ".");
        }
    }

    static Rollout require(String id) {
        return Rollout.<Rollout>findByIdOptional(parseId(id)).orElseThrow(() -> notFound(id));
    }

    static Rollout lock(String id) {
        return Rollout.lock(parseId(id)).orElseThrow(() -> notFound(id));
    }

    private static UUID parseId(String id) {
        return Ids.parse(id, "rollout");
    }

    private static DomainException.NotFound notFound(String id) {
        return Ids.notFound("rollout", id);
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON no longer reads as " + type.getSimpleName(), e);
        }
    }
}
