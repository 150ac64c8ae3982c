package io.starling.controlplane.checkin;

import io.starling.controlplane.deployment.Deployments;
import io.starling.controlplane.fleet.Agent;
import io.starling.controlplane.fleet.Agents;
import io.starling.controlplane.fleet.FleetConfig;
import io.starling.controlplane.signing.SigningKey;
import io.starling.controlplane.site.SiteResolver;
import io.starling.controlplane.tracker.Tracker;
import io.starling.protocol.agent.CheckInRequest;
import io.starling.protocol.agent.CheckInResponse;
import io.starling.protocol.agent.PeerSources;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An agent's periodic call: inventory in, desired state out. Runs for the whole fleet every
 * interval, so it costs three statements (find the agent, its deployments, update it); sites,
 * keys and the origin's address come from memory, artifact names from a cache.
 */
@ApplicationScoped
public class CheckIns {

    private final Agents agents;
    private final Deployments deployments;
    private final SiteResolver sites;
    private final SigningKey signingKey;
    private final Tracker tracker;
    private final FleetConfig config;

    CheckIns(Agents agents, Deployments deployments, SiteResolver sites, SigningKey signingKey, Tracker tracker, FleetConfig config) {
        this.agents = agents;
        this.deployments = deployments;
        this.sites = sites;
        this.signingKey = signingKey;
        this.tracker = tracker;
        this.config = config;
    }

    /** @param remoteAddress the address the request came from: it decides the site, not what the agent says */
    @Transactional
    public CheckInResponse checkIn(String clientId, CheckInRequest request, String remoteAddress) {
        Instant now = Instant.now();
        Agent a = agents.recordCheckIn(clientId, request, remoteAddress, now);
        PeerSources peerSources = new PeerSources(sites.cidrsOf(a.site), tracker.originPeer().map(List::of).orElse(List.of()));
        return new CheckInResponse(a.id.toString(), a.site, deployments.desiredFor(a, now), signingKey.trustedKeys(),
                peerSources, next(now), now);
    }

    /** The interval times a random factor in 1 ± jitter: a fleet started together spreads out. */
    Instant next(Instant now) {
        double jitter = Math.max(0, Math.min(config.checkInJitter(), 0.9));
        double factor = 1 + (jitter == 0 ? 0 : ThreadLocalRandom.current().nextDouble(-jitter, jitter));
        return now.plusMillis(Math.round(config.checkInInterval().toMillis() * factor));
    }
}
