package io.starling.controlplane.site;

import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.common.Names;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Creates, changes and deletes sites, keeping every range of every site disjoint from the others. */
@ApplicationScoped
public class Sites {

    /** Enough for a campus of /24s; beyond it, a site wants wider ranges rather than more of them. */
    public static final int MAX_CIDRS = 256;

    private final Event<SiteEvent> events;

    Sites(Event<SiteEvent> events) {
        this.events = events;
    }

    @Transactional
    public SiteView create(SiteRequest request, String actor) {
        Names.site(request.name());
        List<Cidr> cidrs = parse(request.cidrs());
        lockSites();
        if (Site.byName(request.name()).isPresent()) {
            throw new DomainException.Conflict("Site '" + request.name() + "' already exists.");
        }
        requireNoOverlapWithOtherSites(null, cidrs);
        Site site = new Site();
        site.name = request.name();
        site.description = request.description();
        site.createdAt = Instant.now();
        site.createdBy = actor;
        cidrs.forEach(site::addCidr);
        site.persist();
        events.fire(new SiteEvent(SiteEvent.Kind.CREATED, site.name));
        return SiteView.of(site);
    }

    @Transactional
    public List<SiteView> sites() {
        return Site.<Site>list("order by name").stream().map(SiteView::of).toList();
    }

    @Transactional
    public SiteView site(String name) {
        return SiteView.of(require(name));
    }

    /** Replaces the description and all ranges; a site may widen or narrow its own ranges freely. */
    @Transactional
    public SiteView update(String name, SiteRequest request, String actor) {
        Names.site(name);
        if (request.name() != null && !request.name().equals(name)) {
            throw new DomainException.Invalid("The body names site '" + Names.printable(request.name())
                    + "' but the path names '" + name + "'; sites cannot be renamed, create a new one instead.");
        }
        List<Cidr> cidrs = parse(request.cidrs());
        lockSites();
        Site site = require(name);
        requireNoOverlapWithOtherSites(site, cidrs);
        site.description = request.description();
        site.cidrs.clear();
        // Hibernate inserts before it deletes; without this flush, a range kept across the update
        // would briefly exist twice and trip the database's no-overlap constraint.
        Site.flush();
        cidrs.forEach(site::addCidr);
        site.updatedAt = Instant.now();
        site.updatedBy = actor;
        events.fire(new SiteEvent(SiteEvent.Kind.UPDATED, site.name));
        return SiteView.of(site);
    }

    @Transactional
    public void delete(String name) {
        lockSites();
        Site site = require(name);
        site.delete();
        events.fire(new SiteEvent(SiteEvent.Kind.DELETED, name));
    }

    private static Site require(String name) {
        Names.site(name);
        return Site.byName(name).orElseThrow(() -> new DomainException.NotFound("No site '" + name + "'."));
    }

    /**
     * Every problem with the list at once, so that whoever pastes 200 ranges fixes them in one go.
     * Identical and nested ranges in one request are refused too: they would make a site's
     * ranges say something other than what the operator meant.
     */
    static List<Cidr> parse(List<String> texts) {
        if (texts == null || texts.isEmpty() || texts.size() > MAX_CIDRS) {
            throw new DomainException.Invalid("cidrs: must list 1 to " + MAX_CIDRS + " CIDR ranges.");
        }
        List<String> problems = new ArrayList<>();
        List<Cidr> cidrs = new ArrayList<>();
        for (String text : texts) {
            try {
                cidrs.add(Cidr.parse(text));
            } catch (DomainException.Invalid e) {
                problems.add(e.getMessage());
            }
        }
        if (problems.isEmpty()) {
            Set<String> overlaps = new LinkedHashSet<>();
            for (int i = 0; i < cidrs.size(); i++) {
                for (int j = i + 1; j < cidrs.size(); j++) {
                    if (cidrs.get(i).overlaps(cidrs.get(j))) {
                        overlaps.add(cidrs.get(i).equals(cidrs.get(j))
                                ? cidrs.get(i) + " is listed twice."
                                : cidrs.get(i) + " overlaps " + cidrs.get(j) + " in the same request.");
                    }
                }
            }
            problems.addAll(overlaps);
        }
        if (!problems.isEmpty()) {
            throw new DomainException.Invalid(summary(problems));
        }
        return cidrs;
    }

    /** Names every clash, so the operator knows which site to talk to about which range. */
    private static void requireNoOverlapWithOtherSites(Site self, List<Cidr> cidrs) {
        List<String> clashes = new ArrayList<>();
        for (SiteCidr existing : SiteCidr.<SiteCidr>list("from SiteCidr c join fetch c.site s order by s.name")) {
            if (self != null && Objects.equals(existing.site.id, self.id)) {
                continue;
            }
            Cidr theirs = existing.parsed();
            for (Cidr mine : cidrs) {
                if (mine.overlaps(theirs)) {
                    clashes.add(mine + " overlaps " + theirs + " of site '" + existing.site.name + "'");
                }
            }
        }
        if (!clashes.isEmpty()) {
            throw new DomainException.Conflict("Sites must not share addresses: " + summary(clashes) + ".");
        }
    }

    /**
     * Serialises site changes across all control-plane replicas, so that the overlap check reads
     * what the other writer committed. Readers (the resolver's refresh) are not blocked.
     */
    private static void lockSites() {
        Site.getEntityManager().createNativeQuery("lock table site in share row exclusive mode").executeUpdate();
    }

    private static String summary(List<String> problems) {
        int shown = Math.min(problems.size(), 10);
        String text = String.join("; ", problems.subList(0, shown));
        return problems.size() > shown ? text + "; and " + (problems.size() - shown) + " more" : text;
    }
}
