package io.starling.controlplane.fleet;

import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.common.Ids;
import io.starling.controlplane.common.Names;
import io.starling.controlplane.passkey.Passkeys;
import io.starling.controlplane.site.SiteResolver;
import io.starling.protocol.agent.AssignmentReport;
import io.starling.protocol.agent.CheckInRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Enrolled agents: finding them, revoking them, and telling who is calling the agent API. */
@ApplicationScoped
public class Agents {

    private static final Logger LOG = Logger.getLogger(Agents.class);

    static final String NOT_ENROLLED = "This token's client is not an enrolled agent; enroll first.";
    static final String REVOKED = "This agent has been revoked; enroll the machine again.";

    private final Passkeys passkeys;
    private final AgentCredentials credentials;
    private final Event<AgentEvent> events;
    private final SiteResolver sites;
    private final AgentDirectory directory;
    private final CheckInFacts facts;

    Agents(Passkeys passkeys, AgentCredentials credentials, Event<AgentEvent> events, SiteResolver sites,
            AgentDirectory directory, CheckInFacts facts) {
        this.passkeys = passkeys;
        this.credentials = credentials;
        this.events = events;
        this.sites = sites;
        this.directory = directory;
        this.facts = facts;
    }

    /** An agent that just checked in: who it is and the site its answer is for. */
    public record CheckedIn(UUID id, String site) {
    }

    /** One page of a listing, and how many agents match in all. */
    public record Page(List<AgentView> items, long total) {
    }

    public Page list(AgentFilter filter, int offset, int limit) {
        // What agents said at their last check-ins on this replica, before it is read back.
        facts.flush();
        return QuarkusTransaction.requiringNew().call(() -> {
            PanacheQuery<Agent> query = select(filter);
            List<AgentView> items = query.range(offset, offset + limit - 1).list().stream().map(AgentView::of).toList();
            // A short last page says the total itself; counting is only needed otherwise.
            long total = items.size() < limit && (offset == 0 || !items.isEmpty()) ? offset + items.size()
                    : query.count();
            return new Page(items, total);
        });
    }

    /**
     * Agents by state and site, counted by the database (one GROUP BY over the agent table, however
     * large the fleet) after writing back what recent check-ins said, so that "silent" and "frozen" are current.
     */
    public AgentCounts counts(Duration silentAfter, Instant now) {
        facts.flush();
        Instant cutoff = now.minus(silentAfter);
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> Agent.getEntityManager().createQuery(
                "select a.site, a.state, count(a), sum(case when a.lastCheckIn is null or a.lastCheckIn < :cutoff"
                        + " then 1 else 0 end), sum(case when a.frozenSince is not null then 1 else 0 end)"
                        + " from Agent a group by a.site, a.state", Object[].class)
                .setParameter("cutoff", cutoff).getResultList());
        // TreeMap with nulls last: sites by name, then the agents on no site.
        Map<String, AgentCounts.Counts> bySite = new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
        AgentCounts.Counts total = AgentCounts.Counts.NONE;
        for (Object[] row : rows) {
            long n = ((Number) row[2]).longValue();
            AgentCounts.Counts c = row[1] == AgentState.ACTIVE
                    ? new AgentCounts.Counts(n, n, ((Number) row[3]).longValue(), ((Number) row[4]).longValue(), 0)
                    : new AgentCounts.Counts(n, 0, 0, 0, n);
            bySite.merge((String) row[0], c, AgentCounts.Counts::plus);
            total = total.plus(c);
        }
        return new AgentCounts(total, bySite.entrySet().stream()
                .map(e -> new AgentCounts.SiteCounts(e.getKey(), e.getValue())).toList(), silentAfter.toSeconds());
    }

    public AgentView agent(String id) {
        facts.flush();
        return QuarkusTransaction.requiringNew().call(() -> AgentView.of(require(id)));
    }

    /**
     * Revoked here first, in one transaction with every passkey it owns: from its commit on, every
     * endpoint the agent role may call answers this agent 401 whatever tokens it still holds, and
     * the tracker and web seed refuse its passkeys (other replicas: from their next refresh of
     * {@link AgentDirectory} and the passkey directory, 10 s by default). Then its
     * Keycloak client is disabled, so that it gets no new tokens; if Keycloak cannot be reached the
     * call answers 503 and may simply be repeated.
     */
    public AgentView revoke(String id, String actor) {
        AgentView revoked = QuarkusTransaction.requiringNew().call(() -> {
            // Read under the lock, not locked after reading: of two revokes at once, the second
            // waits and then sees the agent revoked, so the revocation and its event happen once.
            Agent a = Agent.<Agent>findByIdOptional(parseId(id), LockModeType.PESSIMISTIC_WRITE)
                    .orElseThrow(() -> notFound(id));
            if (a.active()) {
                a.moveTo(AgentState.REVOKED);
                a.revokedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                a.revokedBy = actor;
                passkeys.revokeAllOf(a.id);
                passkeys.revoke(a.passkey); // enrolled before passkeys named their agent: idempotent otherwise
                events.fire(new AgentEvent(AgentEvent.Kind.REVOKED, a.id, actor));
            }
            return AgentView.of(a);
        });
        directory.revoked(revoked.clientId());
        try {
            credentials.disable(revoked.clientId());
        } catch (DomainException.Unavailable e) {
            throw new DomainException.Unavailable("Agent " + revoked.id() + " is revoked: the agent API, tracker and web"
                    + " seed refuse it. " + e.getMessage() + " Revoke it again to retry disabling its client.");
        }
        return revoked;
    }

    /**
     * Records what an agent says of itself at check-in, without waiting for the database: the
     * caller comes from {@link AgentDirectory} and its facts are written behind by {@link CheckInFacts}.
     *
     * @param remoteAddress the address the request came from: it decides the site, not what the agent says
     * @throws DomainException.Unauthenticated for a client that is no agent, or a revoked one
     */
    public CheckedIn recordCheckIn(String clientId, CheckInRequest request, String remoteAddress, Instant now) {
        String hostname = Enrollment.text(request.hostname(), "hostname", Enrollment.MAX_HOSTNAME, false);
        String agentVersion = Enrollment.text(request.agentVersion(), "agentVersion", Enrollment.MAX_VERSION, false);
        if (request.freeDiskBytes() < 0) {
            throw new DomainException.Invalid("freeDiskBytes: must not be negative.");
        }
        String installed = Inventory.write(Inventory.validate(request.installed()));
        AgentDirectory.Known a = directory.requireActive(clientId);
        String site = a.pinnedSite() != null ? a.pinnedSite() : sites.siteOf(remoteAddress).orElse(null);
        if (!Objects.equals(site, a.site())) {
            // Rare (a moved machine, a changed site range): stored now rather than behind, and told to
            // whoever targets agents by site, which reads the stored site.
            QuarkusTransaction.requiringNew().run(() -> {
                Agent.update("site = ?1 where id = ?2", site, a.id());
                events.fire(new AgentEvent(AgentEvent.Kind.SITE_CHANGED, a.id(), "check-in"));
            });
            directory.siteChanged(clientId, site);
        }
        for (String lowered : request.floorsLowered()) {
            // Rare, and worth an operator's attention: a revoked key had raised a product's floor.
            LOG.warnf("Agent %s says: %s", a.id(), oneLine(lowered));
        }
        facts.record(new CheckInFacts.Facts(a.id(), hostname, agentVersion, request.freeDiskBytes(), installed, now,
                remoteAddress, site, assignmentFacts(a.id(), request.assignment())));
        return new CheckedIn(a.id(), site);
    }

    /**
     * What the agent says of its signed assignment, kept as it says it (its own words, made one
     * line): a frozen agent is shown frozen, and why it refused an answer is what an operator
     * hunting for someone between agents and control plane needs. A failure of its previous
     * check-in (an answer over its cap, or cut off at its deadline) is logged, not kept.
     */
    static CheckInFacts.AssignmentFacts assignmentFacts(UUID agentId, AssignmentReport report) {
        if (report == null) {
            return CheckInFacts.AssignmentFacts.NONE;
        }
        if (report.lastFailure() != null) {
            LOG.infof("Agent %s says its previous check-in failed: %s", agentId, oneLine(report.lastFailure()));
        }
        return new CheckInFacts.AssignmentFacts(report.validUntil(), report.frozenSince(), oneLine(report.problem()));
    }

    /** At most {@link AssignmentReport#MAX_TEXT} characters, control characters made spaces. */
    static String oneLine(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String line = text.strip().replaceAll("\\p{Cntrl}", " ");
        return line.length() <= AssignmentReport.MAX_TEXT ? line : line.substring(0, AssignmentReport.MAX_TEXT - 1) + "…";
    }

    /**
     * The calling agent, for the agent API. Call inside a transaction.
     *
     * @throws DomainException.Unauthenticated for a client that is no agent, or a revoked one
     */
    public static Agent requireActive(String clientId) {
        Agent a = Agent.byClientId(clientId).orElseThrow(() -> new DomainException.Unauthenticated(NOT_ENROLLED));
        if (!a.active()) {
            throw new DomainException.Unauthenticated(REVOKED);
        }
        return a;
    }

    /** Call inside a transaction. */
    public static Agent require(String id) {
        return Agent.<Agent>findByIdOptional(parseId(id)).orElseThrow(() -> notFound(id));
    }

    /** Active agents of a site. Call inside a transaction. */
    public static List<Agent> activeOnSite(String site) {
        return select(AgentFilter.of(site, List.of(), AgentState.ACTIVE)).list();
    }

    /** Active agents carrying all these labels. Call inside a transaction. */
    public static List<Agent> activeWithLabels(Collection<String> labels) {
        return select(AgentFilter.of(null, labels, AgentState.ACTIVE)).list();
    }

    public static UUID parseId(String id) {
        return Ids.parse(id, "agent");
    }

    private static DomainException.NotFound notFound(String id) {
        return Ids.notFound("agent", id);
    }

    private static PanacheQuery<Agent> select(AgentFilter f) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (f.site() != null) {
            where.add("site = :site");
            params.put("site", Names.site(f.site()));
        }
        if (!f.labels().isEmpty()) {
            // Served by the GIN index on agent.labels (PostgreSQL's @> operator).
            where.add("array_includes(labels, :labels)");
            params.put("labels", EnrollmentTokens.labels(f.labels()).toArray(String[]::new));
        }
        if (f.state() != null) {
            where.add("state = :state");
            params.put("state", f.state());
        }
        if (f.q() != null) {
            where.add("(lower(hostname) like :qAnywhere escape '!' or str(id) like :qPrefix escape '!')");
            String q = f.q().replace("!", "!!").replace("%", "!%").replace("_", "!_");
            params.put("qAnywhere", "%" + q + "%");
            params.put("qPrefix", q + "%");
        }
        if (f.installedProduct() != null) {
            // JSON containment, served by the GIN index on installed_json::jsonb (V13).
            where.add("cast(sql('(cast(? as jsonb) @> cast(? as jsonb))', installedJson, :installed) as Boolean) = true");
            params.put("installed", Inventory.containing(f.installedProduct(), f.installedVersion()));
        }
        return Agent.find(String.join(" and ", where), Sort.descending("enrolledAt").and("id"), params);
    }
}
