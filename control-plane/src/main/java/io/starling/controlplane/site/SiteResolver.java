package io.starling.controlplane.site;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.starling.controlplane.common.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Which site a peer is on, asked on every tracker announce. Lookups read an immutable
 * {@link SiteTable} and never touch the database; the table is rebuilt at start, after every
 * committed site change on this replica, and on a timer so that replicas pick up each other's
 * changes ({@code starling.fleet.site-refresh}).
 */
@ApplicationScoped
public class SiteResolver {

    private static final Logger LOG = Logger.getLogger(SiteResolver.class);

    private volatile SiteTable table = SiteTable.EMPTY;
    /** Each site's ranges, normalised and sorted, for agents to tell same-site peers from others. */
    private volatile Map<String, List<String>> cidrsBySite = Map.of();

    /** @param address 4 or 16 bytes; an IPv4-mapped IPv6 address resolves as its IPv4 address */
    public Optional<String> siteOf(byte[] address) {
        if (address == null || (address.length != 4 && address.length != 16)) {
            throw new IllegalArgumentException("An IP address has 4 or 16 bytes");
        }
        return table.siteOf(address);
    }

    /**
     * @param literalIp an address literal as a socket or forwarding header gives it ({@code 10.1.2.3},
     *                  {@code 2001:db8::7}, {@code [::ffff:10.1.2.3]}, {@code fe80::1%eth0}); never looked up in DNS
     * @return empty for an address on no site, and for text that is not an address literal
     */
    public Optional<String> siteOf(String literalIp) {
        byte[] address = IpLiteral.parseHost(literalIp);
        return address == null ? Optional.empty() : table.siteOf(address);
    }

    /** The ranges of a site as of the last refresh; empty for no site or an unknown one. */
    public List<String> cidrsOf(String site) {
        return site == null ? List.of() : cidrsBySite.getOrDefault(site, List.of());
    }

    void onStart(@Observes StartupEvent event) {
        refreshOrKeep("at start");
    }

    void onSiteChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) SiteEvent event) {
        refreshOrKeep("after site '" + event.site() + "' was " + event.kind().name().toLowerCase());
    }

    @Scheduled(every = "${starling.fleet.site-refresh:30s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void periodicRefresh() {
        refreshOrKeep("on schedule");
    }

    /**
     * Reading and publishing under one lock means the table published last was also read last,
     * so two changes committing close together can never leave the older picture in place.
     */
    synchronized void refresh() {
        List<SiteTable.Route> routes = QuarkusTransaction.requiringNew().call(() -> SiteCidr
                .<SiteCidr>list("from SiteCidr c join fetch c.site").stream()
                .flatMap(c -> route(c).stream())
                .toList());
        Map<String, List<String>> bySite = routes.stream().collect(Collectors.groupingBy(SiteTable.Route::site,
                Collectors.collectingAndThen(Collectors.toList(), rs -> rs.stream().map(SiteTable.Route::cidr).sorted()
                        .map(Cidr::toString).toList())));
        table = SiteTable.of(routes);
        cidrsBySite = Map.copyOf(bySite);
    }

    /** A row written behind the API's back (e.g. an IPv4-mapped range) must not stop every other site from resolving. */
    private static Optional<SiteTable.Route> route(SiteCidr c) {
        try {
            return Optional.of(new SiteTable.Route(c.parsed(), c.site.name));
        } catch (DomainException.Invalid e) {
            LOG.warnf("Ignoring range %s of site '%s': %s", c.cidr, c.site.name, e.getMessage());
            return Optional.empty();
        }
    }

    /** A failed refresh keeps the last good table: peers still get sensible lists while the database is away. */
    private void refreshOrKeep(String when) {
        try {
            refresh();
            LOG.debugf("Site table refreshed %s: %d ranges", when, table.size());
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not refresh the site table %s; keeping the previous one (%d ranges)", when, table.size());
        }
    }
}
