package io.starling.controlplane.tracker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.starling.controlplane.catalog.Artifact;
import io.starling.controlplane.catalog.ReleaseEvent;
import io.starling.controlplane.catalog.ReleaseState;
import io.starling.controlplane.passkey.PasskeyDirectory;
import io.starling.controlplane.seed.OriginSeeder;
import io.starling.controlplane.seed.SeedConfig;
import io.starling.protocol.torrent.TorrentMetainfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The private tracker: admits peers holding an active passkey to swarms of published,
 * unrevoked artifacts, and answers each with its nearest peers. Runs on the event loop, so
 * everything it reads per announce is in memory.
 */
@Startup
@ApplicationScoped
public class Tracker {

    private static final Logger LOG = Logger.getLogger(Tracker.class);
    /** BEP 48 leaves the limit to the tracker; 74 hashes fit a typical 2 KB URL. */
    static final int MAX_SCRAPE_HASHES = 74;

    private final PasskeyDirectory passkeys;
    private final SiteOfAddress sites;
    private final TrackerConfig config;
    private volatile PeerSelector selector;
    private final Swarm.Limits limits;
    private final OriginPeers origins;
    private final OriginSeeder originSeeder;
    private final SuperSeedingPolicy superSeeding;
    private final Counter announces;
    private final Counter refusals;
    /** By 20-byte info-hash as an ISO-8859-1 string: v1 and truncated v2 both map to the swarm. */
    private final Map<String, Swarm> swarms = new ConcurrentHashMap<>();

    Tracker(PasskeyDirectory passkeys, SiteOfAddress sites, TrackerConfig config, MeterRegistry registry,
            OriginSeeder originSeeder, OriginPeers origins, SeedConfig seedConfig) {
        this.passkeys = passkeys;
        this.sites = sites;
        this.config = config;
        this.limits = new Swarm.Limits(config.maxPeersPerPasskey(), config.maxSwarmPeers());
        this.origins = origins;
        this.originSeeder = originSeeder;
        this.superSeeding = new SuperSeedingPolicy(originSeeder::superSeeding, seedConfig.superSeedingMinLeechers());
        this.selector = new PeerSelector(config.crossSiteMinSeeds(), config.stallTimeout().toMillis(), config.siteGateways(),
                origins::all, superSeeding);
        this.announces = Counter.builder("starling.tracker.announces").register(registry);
        this.refusals = Counter.builder("starling.tracker.refusals").register(registry);
        passkeys.refresh();
        refreshTorrents();
    }

    /** Tests: how many leechers per site may reach across (as {@code starling.tracker.site-gateways}). */
    void siteGateways(int gateways) {
        selector = new PeerSelector(config.crossSiteMinSeeds(), config.stallTimeout().toMillis(), gateways, origins::all,
                superSeeding);
    }

    int siteGateways() {
        return selector.siteGateways();
    }

    /**
     * This replica's origin seeder as peers reach it, {@code host:port} ({@code [v6]:port}), the
     * same address the tracker hands out; empty when there is none to list.
     */
    public Optional<String> originPeer() {
        return Optional.ofNullable(origins.own()).map(OriginPeers::text);
    }

    /**
     * Agents announce their TLS port for SSL torrents (libtorrent does so by itself); origin
     * seeders are shared at their plain port, so swap in each one's TLS port here. An origin that
     * named no TLS port (a replica without SSL torrents) is left out of an SSL torrent's answer.
     */
    private Swarm.Result atOriginsSslPort(Swarm.Result result) {
        if (config.originPeer().isPresent()) {
            return result; // a configured origin peer is taken as given
        }
        List<PeerAddress> peers = new ArrayList<>(result.peers().size());
        for (PeerAddress p : result.peers()) {
            if (p.peerId() != null) {
                peers.add(p);
                continue;
            }
            Optional<PeerAddress> ssl = origins.sslOf(p);
            if (ssl.isPresent()) {
                peers.add(ssl.get());
            } else if (!origins.isOrigin(p)) {
                peers.add(p);
            }
        }
        return new Swarm.Result(peers, result.stats(), result.superSeedingNow());
    }

    /** Every live replica's origin seeder as agents see them in peer lists: plain, then TLS for SSL torrents. */
    public List<String> originPeers() {
        List<String> out = new ArrayList<>();
        origins.all().stream().map(OriginPeers::text).forEach(out::add);
        origins.allSsl().stream().map(OriginPeers::text).forEach(out::add);
        return out;
    }

    /** @return the bencoded answer; a refusal is a bencoded failure reason, never an exception */
    public byte[] announce(String passkey, String rawQuery, String remoteAddress) {
        try {
            PasskeyDirectory.Entry holder = admit(passkey);
            byte[] ip = Addresses.parse(remoteAddress);
            AnnounceRequest request = AnnounceRequest.parse(rawQuery, ip, config.defaultNumwant(), config.maxNumwant());
            Swarm swarm = swarms.get(TrackerResponses.ascii(request.infoHash()));
            if (swarm == null) {
                throw new TrackerRefusal("this torrent is not published on this tracker");
            }
            String site = holder.site() != null ? holder.site() : sites.siteOf(ip).orElse("");
            Swarm.Result result = swarm.announce(request, holder.id(), site, System.currentTimeMillis(), selector);
            if (result.superSeedingNow() != null) {
                superSeed(swarm, result.superSeedingNow());
            }
            if (swarm.torrent.ssl()) {
                result = atOriginsSslPort(result);
            }
            announces.increment();
            return TrackerResponses.announce(result, request.compact(), config.interval().toSeconds(),
                    config.minInterval().toSeconds());
        } catch (TrackerRefusal e) {
            refusals.increment();
            return TrackerResponses.failure(e.getMessage());
        } catch (IllegalArgumentException e) {
            refusals.increment();
            return TrackerResponses.failure("cannot read the peer's address");
        }
    }

    /** Tells this replica's origin seeder what the swarm now wants; the seeder ignores torrents it does not hold. */
    private void superSeed(Swarm swarm, boolean on) {
        String ih = HexFormat.of().formatHex(swarm.torrent.infoHashV1());
        if (originSeeder.superSeeding(ih, on)) {
            TrackedTorrent t = swarm.torrent;
            LOG.infof("Origin %s super-seeding %s %s (%s): %s", on ? "starts" : "stops", t.product(), t.version(),
                    t.file(), swarm.sitesSummary());
        }
    }

    public byte[] scrape(String passkey, String rawQuery) {
        try {
            admit(passkey);
            List<byte[]> hashes = Query.parse(rawQuery).all("info_hash");
            if (hashes.isEmpty()) {
                throw new TrackerRefusal("name at least one info_hash: this private tracker does not list its torrents");
            }
            if (hashes.size() > MAX_SCRAPE_HASHES) {
                throw new TrackerRefusal("at most " + MAX_SCRAPE_HASHES + " info_hash values per scrape");
            }
            Map<byte[], Swarm.Stats> files = new LinkedHashMap<>();
            for (byte[] hash : hashes) {
                if (hash.length != 20) {
                    throw new TrackerRefusal("info_hash must be 20 bytes, got " + hash.length);
                }
                Swarm s = swarms.get(TrackerResponses.ascii(hash));
                if (s != null) {
                    files.put(hash, s.stats());
                }
            }
            return TrackerResponses.scrape(files);
        } catch (TrackerRefusal e) {
            refusals.increment();
            return TrackerResponses.failure(e.getMessage());
        }
    }

    private PasskeyDirectory.Entry admit(String passkey) {
        PasskeyDirectory.Entry holder = passkeys.find(passkey);
        if (holder == null) {
            throw new TrackerRefusal("unknown passkey");
        }
        if (!holder.active()) {
            throw new TrackerRefusal("this passkey has been revoked");
        }
        return holder;
    }

    /** Each swarm once, whatever the number of hashes it is known by. */
    Collection<Swarm> swarms() {
        return swarms.values().stream().distinct().toList();
    }

    Swarm swarm(String infoHashV1Hex) {
        return swarms.get(TrackerResponses.ascii(HexFormat.of().parseHex(infoHashV1Hex)));
    }

    void onRelease(@Observes(during = TransactionPhase.AFTER_SUCCESS) ReleaseEvent event) {
        refreshTorrents();
    }

    /** Published artifacts join, revoked ones leave; also picks up other replicas' publishes. */
    @Scheduled(every = "${starling.tracker.torrent-refresh:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void refreshTorrents() {
        List<TrackedTorrent> published = QuarkusTransaction.requiringNew().call(() -> {
            List<TrackedTorrent> out = new ArrayList<>();
            for (Artifact a : Artifact.<Artifact>list("release.state = ?1", ReleaseState.PUBLISHED)) {
                out.add(new TrackedTorrent(a.release.product.name, a.release.version, a.name,
                        HexFormat.of().parseHex(a.infoHashV1), HexFormat.of().parseHex(a.infoHashV2),
                        TorrentMetainfo.isSsl(a.infoDict)));
            }
            return out;
        });
        Map<String, TrackedTorrent> wanted = new LinkedHashMap<>();
        for (TrackedTorrent t : published) {
            wanted.put(TrackerResponses.ascii(t.infoHashV1()), t);
            wanted.put(TrackerResponses.ascii(t.truncatedV2()), t);
        }
        swarms.keySet().removeIf(k -> !wanted.containsKey(k));
        Map<String, Swarm> byV1 = new LinkedHashMap<>();
        for (Map.Entry<String, TrackedTorrent> e : wanted.entrySet()) {
            String v1 = TrackerResponses.ascii(e.getValue().infoHashV1());
            Swarm swarm = swarms.get(v1);
            if (swarm == null) {
                swarm = byV1.computeIfAbsent(v1, k -> new Swarm(e.getValue(), limits));
            }
            swarms.putIfAbsent(e.getKey(), swarm);
        }
        LOG.debugf("Tracking %d torrents", published.size());
    }

    @Scheduled(every = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expirePeers() {
        long cutoff = System.currentTimeMillis() - config.peerTtl().toMillis();
        int removed = 0;
        for (Swarm s : swarms()) {
            removed += s.expire(cutoff);
        }
        if (removed > 0) {
            LOG.debugf("Dropped %d peers that stopped announcing", removed);
        }
    }
}
