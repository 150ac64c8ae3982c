package io.starling.controlplane.deployment;

import io.quarkus.panache.common.Parameters;
import io.starling.controlplane.catalog.Catalog;
import io.starling.controlplane.catalog.ManifestRenewal;
import io.starling.controlplane.catalog.Release;
import io.starling.controlplane.catalog.ReleaseEvent;
import io.starling.controlplane.catalog.ReleaseState;
import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.common.Ids;
import io.starling.controlplane.common.Names;
import io.starling.controlplane.fleet.Agent;
import io.starling.controlplane.fleet.AgentEvent;
import io.starling.controlplane.fleet.Agents;
import io.starling.controlplane.seed.TorrentFiles;
import io.starling.controlplane.site.Site;
import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.DeploymentState;
import io.starling.protocol.agent.DeploymentStatusReport;
import io.starling.protocol.agent.InstallPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/** Creates deployments, moves them through their states, and tells agents what they should have. */
@ApplicationScoped
public class Deployments {

    private static final Logger LOG = Logger.getLogger(Deployments.class);

    static final int MAX_AGENT_IDS = 10_000;
    static final int MAX_REASON = 64;
    static final int MAX_DETAIL = 1000;
    static final int MAX_OUTPUT_LINES = 50;
    static final int MAX_OUTPUT_LINE = 500;
    /**
     * A cancelled deployment stays in check-in answers this long, so that an agent that was
     * offline when it was cancelled still hears of it and drops its work.
     */
    static final Duration CANCELLED_VISIBLE = Duration.ofDays(7);

    private static final Set<DeploymentState> OPEN = EnumSet.of(DeploymentState.PENDING, DeploymentState.DOWNLOADING,
            DeploymentState.DOWNLOADED, DeploymentState.INSTALLING);
    private static final Set<DeploymentState> CANCELLABLE = EnumSet.copyOf(
            OPEN.stream().filter(s -> s.mayBecome(DeploymentState.CANCELLED)).toList());

    /** Rows per statement when acting on many deployments at once: far below PostgreSQL's 65,535 parameters. */
    private static final int CHUNK = 1000;

    private final TorrentFiles torrents;
    private final Event<DeploymentEvent> events;
    private final ManifestRenewal renewal;
    private final PendingDeployments pending;
    /** Artifact names by release id: fixed once a release is published, and only published releases are deployed. */
    private final Map<Long, List<String>> artifactNames = new ConcurrentHashMap<>();

    Deployments(TorrentFiles torrents, Event<DeploymentEvent> events, PendingDeployments pending, ManifestRenewal renewal) {
        this.renewal = renewal;
        this.torrents = torrents;
        this.events = events;
        this.pending = pending;
    }

    /** One deployment per target agent; agents that already have one of this release keep it as it is. */
    @Transactional
    public DeploymentBatchView create(DeploymentRequest request, String actor) {
        int selectors = (request.agentIds() != null ? 1 : 0) + (request.site() != null ? 1 : 0)
                + (request.labels() != null ? 1 : 0);
        if (selectors != 1) {
            throw new DomainException.Invalid("Name the targets with exactly one of agentIds, site or labels.");
        }
        // Serialises deployment requests for one release, and them with its revocation: no
        // duplicate (agent, release) pair, and no new deployment of a release revoked meanwhile.
        Release release = Catalog.lockRelease(request.product(), request.version());
        if (release.state() != ReleaseState.PUBLISHED) {
            throw new DomainException.Conflict("Release " + request.product() + " " + request.version() + " is "
                    + release.state().name().toLowerCase() + "; only published releases can be deployed.");
        }
        renewal.renewIfExpiring(release);
        List<DeploymentBatchView.Skipped> skipped = new ArrayList<>();
        List<Agent> targets = targets(request, skipped);
        List<DeploymentBatchView.Created> created = persistMissing(release, targets, actor, DeploymentPolicy.AT_ONCE,
                skipped);
        pending.changed(created.stream().map(DeploymentBatchView.Created::agentId).toList());
        LOG.infof("%s deployed %s %s to %d agents (%d skipped)", actor, request.product(), request.version(),
                created.size(), skipped.size());
        return new DeploymentBatchView(request.product(), request.version(), created, skipped);
    }

    /**
     * One deployment of {@code release} for each of these agents that is active and has none yet;
     * for rollouts, which chose their agents themselves. Call inside a transaction that holds the
     * release's row lock ({@link Catalog#lockRelease}) and has seen it published: that lock is
     * what keeps two callers from creating the same (agent, release) pair.
     *
     * @param policy when agents may install the new deployments; those that existed keep theirs
     * @return how many deployments were created
     */
    public int createFor(Release release, Collection<UUID> agentIds, String actor, DeploymentPolicy policy) {
        if (release.state() != ReleaseState.PUBLISHED) {
            throw new DomainException.Conflict("Release " + release.product.name + " " + release.version + " is "
                    + release.state().name().toLowerCase() + "; only published releases can be deployed.");
        }
        renewal.renewIfExpiring(release);
        List<UUID> ids = List.copyOf(new LinkedHashSet<>(agentIds));
        int created = 0;
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<Agent> agents = Agent.list("id in ?1", ids.subList(from, Math.min(ids.size(), from + CHUNK)));
            List<Agent> active = agents.stream().filter(Agent::active).toList();
            List<DeploymentBatchView.Created> made = persistMissing(release, active, actor, policy, new ArrayList<>());
            pending.changed(made.stream().map(DeploymentBatchView.Created::agentId).toList());
            created += made.size();
        }
        return created;
    }

    /** Cancels these deployments, those not installing yet; see {@link #cancelAll}. Call inside a transaction. */
    public int cancelAllOf(Collection<UUID> ids, String detail) {
        List<UUID> all = List.copyOf(ids);
        int cancelled = 0;
        for (int from = 0; from < all.size(); from += CHUNK) {
            cancelled += cancelAll("id in (:target)", all.subList(from, Math.min(all.size(), from + CHUNK)), detail);
        }
        return cancelled;
    }

    /**
     * Lets agents install these deployments, those still download-only and not final: a
     * conditional update, so that a deployment that ended meanwhile is left as it is. Agents hear
     * of it at their next check-in. Call inside a transaction.
     *
     * @return how many deployments changed
     */
    public int allowInstall(Collection<UUID> ids) {
        List<UUID> all = List.copyOf(ids);
        int changed = 0;
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<UUID> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            pending.changed(Deployment.getEntityManager()
                    .createQuery("select d.agent.id from Deployment d where d.id in :ids", UUID.class)
                    .setParameter("ids", chunk).getResultList());
            changed += Deployment.update("downloadOnly = false, updatedAt = :now, rowVersion = rowVersion + 1"
                            + " where id in :ids and downloadOnly = true and state in :open",
                    Parameters.with("now", Instant.now()).and("ids", chunk).and("open", OPEN));
        }
        return changed;
    }

    /** New deployments for those of {@code targets} that have none of this release; the others are skipped. */
    private static List<DeploymentBatchView.Created> persistMissing(Release release, List<Agent> targets, String actor,
            DeploymentPolicy policy, List<DeploymentBatchView.Skipped> skipped) {
        Map<UUID, UUID> existing = new HashMap<>();
        if (!targets.isEmpty()) {
            Deployment.<Deployment>list("release = ?1 and agent in ?2", release, targets)
                    .forEach(d -> existing.put(d.agent.id, d.id));
        }
        Instant now = Instant.now();
        List<DeploymentBatchView.Created> created = new ArrayList<>();
        for (Agent a : targets) {
            UUID already = existing.get(a.id);
            if (already != null) {
                skipped.add(new DeploymentBatchView.Skipped(a.id, "already has a deployment of this release", already));
                continue;
            }
            Deployment d = new Deployment();
            d.id = UUID.randomUUID();
            d.agent = a;
            d.release = release;
            d.createdAt = now;
            d.createdBy = actor;
            d.updatedAt = now;
            d.policy(policy);
            d.persist();
            created.add(new DeploymentBatchView.Created(d.id, a.id));
        }
        return created;
    }

    private static List<Agent> targets(DeploymentRequest request, List<DeploymentBatchView.Skipped> skipped) {
        if (request.site() != null) {
            if (Site.byName(Names.site(request.site())).isEmpty()) {
                throw new DomainException.Invalid("No site '" + request.site() + "'.");
            }
            return Agents.activeOnSite(request.site());
        }
        if (request.labels() != null) {
            return Agents.activeWithLabels(request.labels());
        }
        Set<UUID> ids = new LinkedHashSet<>();
        List<String> malformed = new ArrayList<>();
        for (String id : request.agentIds()) {
            try {
                ids.add(UUID.fromString(id));
            } catch (IllegalArgumentException e) {
                malformed.add("'" + Names.printable(id) + "'");
            }
        }
        if (!malformed.isEmpty()) {
            throw new DomainException.Invalid("agentIds: not agent ids: " + summary(malformed) + ".");
        }
        Map<UUID, Agent> found = new HashMap<>();
        Agent.<Agent>list("id in ?1", ids).forEach(a -> found.put(a.id, a));
        List<String> unknown = ids.stream().filter(id -> !found.containsKey(id)).map(UUID::toString).toList();
        if (!unknown.isEmpty()) {
            throw new DomainException.Invalid("agentIds: no such agents: " + summary(unknown) + ".");
        }
        List<Agent> active = new ArrayList<>();
        for (UUID id : ids) {
            Agent a = found.get(id);
            if (a.active()) {
                active.add(a);
            } else {
                skipped.add(new DeploymentBatchView.Skipped(a.id, "agent is " + a.state().name().toLowerCase(), null));
            }
        }
        return active;
    }

    /** @param product and {@code version}: either may be null for all */
    @Transactional
    public List<DeploymentView> list(String product, String version, int offset, int limit) {
        StringBuilder q = new StringBuilder("from Deployment d join fetch d.agent join fetch d.release r"
                + " join fetch r.product p where 1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (product != null) {
            q.append(" and p.name = :product");
            params.put("product", Names.product(product));
        }
        if (version != null) {
            q.append(" and r.version = :version");
            params.put("version", Names.version(version));
        }
        q.append(" order by d.createdAt desc, d.id");
        return Deployment.<Deployment>find(q.toString(), params).range(offset, offset + limit - 1).list()
                .stream().map(DeploymentView::of).toList();
    }

    /**
     * Bytes by source per UTC day, for the last {@code days} days up to today, every day listed
     * (zeros included) so that a chart needs no gaps filled.
     */
    @Transactional
    public List<DailyBytes> bytesByDay(int days, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate first = today.minusDays(days - 1L);
        Map<LocalDate, DailyBytes> found = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = Deployment.getEntityManager().createNativeQuery("select to_char(updated_at at time zone"
                        + " 'UTC', 'YYYY-MM-DD'), count(*), sum(bytes_same_site), sum(bytes_other_site), sum(bytes_origin),"
                        + " sum(bytes_web_seed) from deployment where updated_at >= :since group by 1")
                .setParameter("since", first.atStartOfDay(ZoneOffset.UTC).toInstant()).getResultList();
        for (Object[] row : rows) {
            LocalDate day = LocalDate.parse((String) row[0]);
            found.put(day, new DailyBytes(day, ((Number) row[1]).longValue(), new BytesBySource(
                    ((Number) row[2]).longValue(), ((Number) row[3]).longValue(), ((Number) row[4]).longValue(),
                    ((Number) row[5]).longValue())));
        }
        List<DailyBytes> out = new ArrayList<>();
        for (LocalDate day = first; !day.isAfter(today); day = day.plusDays(1)) {
            out.add(found.getOrDefault(day, new DailyBytes(day, 0, BytesBySource.NONE)));
        }
        return out;
    }

    @Transactional
    public List<DeploymentView> ofAgent(String agentId) {
        Agent agent = Agents.require(agentId);
        return Deployment.<Deployment>list("from Deployment d join fetch d.release r join fetch r.product"
                + " where d.agent = ?1 order by d.createdAt desc, d.id", agent)
                .stream().map(DeploymentView::of).toList();
    }

    @Transactional
    public DeploymentView cancel(String id, String actor) {
        Deployment d = lock(parseId(id)).orElseThrow(() -> notFound(id));
        DeploymentState from = d.state();
        d.moveTo(DeploymentState.CANCELLED);
        d.detail = truncate("Cancelled by " + actor + ".", MAX_DETAIL);
        d.updatedAt = Instant.now();
        pending.changed(List.of(d.agent.id));
        fire(d, from);
        return DeploymentView.of(d);
    }

    /**
     * An agent's report on its own deployment. The same state again is a progress update; a new
     * state must be reachable through the table, so a report on a deployment cancelled meanwhile
     * is a 409, and the agent drops its work. An agent that was cut off reports where it is now,
     * not every state it passed: the states it missed are walked, one allowed move at a time.
     */
    @Transactional
    public DeploymentView report(String clientId, String id, DeploymentStatusReport report) {
        Agent agent = Agents.requireActive(clientId);
        Deployment d = lock(parseId(id)).filter(x -> x.agent.id.equals(agent.id)).orElseThrow(() -> notFound(id));
        if (report.state() == null) {
            throw new DomainException.Invalid("state: required.");
        }
        if (report.bytesDone() < 0 || report.bytesTotal() < 0) {
            throw new DomainException.Invalid("bytesDone and bytesTotal must not be negative.");
        }
        BytesBySource b = report.bytes();
        if (b.sameSitePeers() < 0 || b.otherSitePeers() < 0 || b.originSeeder() < 0 || b.webSeed() < 0) {
            throw new DomainException.Invalid("bytes: counts must not be negative.");
        }
        if (report.state() == d.state() && d.state().isFinal()) {
            // A retried final report (its answer was lost): what happened is already recorded.
            return DeploymentView.of(d);
        }
        DeploymentState from = d.state();
        if (report.state() != from) {
            d.catchUpTo(report.state());
        }
        d.bytesDone = report.bytesDone();
        d.bytesTotal = report.bytesTotal();
        d.bytes(b);
        if (report.reason() != null) {
            d.reason = truncate(report.reason(), MAX_REASON);
        }
        if (report.detail() != null) {
            d.detail = truncate(report.detail(), MAX_DETAIL);
        } else if (d.state() != from) {
            // Why it waited in DOWNLOADED ("waiting for the maintenance window…") is over once it moved.
            d.detail = null;
        }
        if (report.exitCode() != null) {
            d.exitCode = report.exitCode();
        }
        if (!report.output().isEmpty()) {
            d.output = output(report.output());
        }
        d.updatedAt = Instant.now();
        pending.changed(List.of(agent.id));
        if (d.state() != from) {
            fire(d, from);
        }
        return DeploymentView.of(d);
    }

    /** The calling agent's own .torrent for one artifact of its own deployment. */
    @Transactional
    public byte[] torrent(String clientId, String id, String file, URI requestBase) {
        Agent agent = Agents.requireActive(clientId);
        Deployment d = Deployment.<Deployment>findByIdOptional(parseId(id))
                .filter(x -> x.agent.id.equals(agent.id)).orElseThrow(() -> notFound(id));
        if (!artifactNames(List.of(d.release)).getOrDefault(d.release.id, List.of()).contains(file)) {
            throw new DomainException.NotFound("Deployment " + id + " has no artifact '" + Names.printable(file) + "'.");
        }
        return torrents.torrent(d.release.product.name, d.release.version, file, agent.passkey, requestBase, true);
    }

    /** The policy as an agent reads it: the window as its opening now, or its next, by this clock. */
    static InstallPolicy installPolicy(DeploymentPolicy p, Instant now) {
        if (!p.downloadOnly() && p.window() == null && p.deadline() == null) {
            return InstallPolicy.AT_ONCE;
        }
        // Empty only for a cron that never matches, which a rollout refuses when it is created.
        Optional<MaintenanceWindow.Opening> opening = p.window() == null ? Optional.empty() : p.window().openingAt(now);
        return new InstallPolicy(p.downloadOnly(), opening.map(MaintenanceWindow.Opening::opensAt).orElse(null),
                opening.map(MaintenanceWindow.Opening::closesAt).orElse(null), p.deadline());
    }

    /** A revoked release is withdrawn from every agent that has not started installing it. */
    void onRelease(@Observes ReleaseEvent event) {
        if (event.kind() == ReleaseEvent.Kind.REVOKED) {
            Release release = Catalog.requireRelease(event.product(), event.version());
            int n = cancelAll("release_id = :target", release.id, "Release " + event.product() + " " + event.version()
                    + " was revoked.");
            LOG.infof("Cancelled %d deployments of revoked release %s %s", n, event.product(), event.version());
        }
    }

    /** A revoked agent will never report again: its unfinished deployments are cancelled. */
    void onAgent(@Observes AgentEvent event) {
        if (event.kind() == AgentEvent.Kind.REVOKED) {
            cancelAll("agent_id = :target", event.agentId(), "Agent revoked by " + event.actor() + ".");
        }
    }

    /**
     * Cancels every deployment matching {@code where} (a condition on the deployment table's columns,
     * with {@code :target}) whose state may become CANCELLED by the table, and tells observers of
     * each. The rows are selected {@code FOR UPDATE} under that same condition: PostgreSQL checks it
     * again on each row as it is once its lock is held, so a deployment an agent moved to
     * INSTALLING a moment ago is left alone, where reading entities first and writing them back
     * would cancel it anyway (and break the state table). The update then touches only rows this
     * transaction holds.
     */
    private int cancelAll(String where, Object target, String detail) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = Deployment.getEntityManager().createNativeQuery("select id, agent_id, release_id, state"
                        + " from deployment where " + where + " and state in (:cancellable) order by id for update")
                .setParameter("target", target)
                .setParameter("cancellable", CANCELLABLE.stream().map(Enum::name).toList())
                .getResultList();
        if (rows.isEmpty()) {
            return 0;
        }
        List<UUID> ids = rows.stream().map(r -> (UUID) r[0]).toList();
        pending.changed(rows.stream().map(r -> (UUID) r[1]).toList());
        int n = Deployment.update("state = :cancelled, detail = :detail, updatedAt = :now, rowVersion = rowVersion + 1"
                        + " where id in :ids",
                Parameters.with("cancelled", DeploymentState.CANCELLED).and("detail", truncate(detail, MAX_DETAIL))
                        .and("now", Instant.now()).and("ids", ids));
        for (Object[] r : rows) {
            events.fire(new DeploymentEvent((UUID) r[0], (UUID) r[1], ((Number) r[2]).longValue(),
                    DeploymentState.valueOf((String) r[3]), DeploymentState.CANCELLED));
        }
        return n;
    }

    private void fire(Deployment d, DeploymentState from) {
        events.fire(new DeploymentEvent(d.id, d.agent.id, d.release.id, from, d.state()));
    }

    private Map<Long, List<String>> artifactNames(List<Release> releases) {
        Set<Long> missing = new LinkedHashSet<>();
        releases.forEach(r -> {
            if (!artifactNames.containsKey(r.id)) {
                missing.add(r.id);
            }
        });
        if (!missing.isEmpty()) {
            Map<Long, List<String>> loaded = new HashMap<>();
            Deployment.getEntityManager()
                    .createQuery("select a.release.id, a.name from Artifact a where a.release.id in :ids order by a.name",
                            Object[].class)
                    .setParameter("ids", missing).getResultList()
                    .forEach(row -> loaded.computeIfAbsent((Long) row[0], k -> new ArrayList<>()).add((String) row[1]));
            loaded.forEach((k, v) -> artifactNames.put(k, List.copyOf(v)));
        }
        Map<Long, List<String>> out = new HashMap<>();
        releases.forEach(r -> out.put(r.id, artifactNames.getOrDefault(r.id, List.of())));
        return out;
    }

    private static Optional<Deployment> lock(UUID id) {
        return Deployment.<Deployment>findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    private static UUID parseId(String id) {
        return Ids.parse(id, "deployment");
    }

    private static DomainException.NotFound notFound(String id) {
        return Ids.notFound("deployment", id);
    }

    /** The last lines only, each cut short: enough to see why an install failed, never a log dump. */
    static String output(List<String> lines) {
        List<String> last = lines.subList(Math.max(0, lines.size() - MAX_OUTPUT_LINES), lines.size());
        return String.join("\n", last.stream().map(l -> truncate(l == null ? "" : l, MAX_OUTPUT_LINE)).toList());
    }

    /** PostgreSQL text cannot hold NUL, and control characters have no place in what admins read. */
    static String truncate(String s, int max) {
        String clean = s.codePoints().map(c -> Character.isISOControl(c) && c != '\t' ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() <= max ? clean : clean.substring(0, max);
    }

    static String summary(List<String> items) {
        int shown = Math.min(items.size(), 10);
        String text = String.join(", ", items.subList(0, shown));
        return items.size() > shown ? text + " and " + (items.size() - shown) + " more" : text;
    }
}
