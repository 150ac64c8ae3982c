package io.starling.controlplane.checkin;

import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.deployment.PendingDeployments;
import io.starling.controlplane.fleet.AgentDirectory;
import io.starling.controlplane.fleet.Agents;
import io.starling.controlplane.fleet.FleetConfig;
import io.starling.controlplane.peertls.SwarmCa;
import io.starling.controlplane.signing.SigningKey;
import io.starling.controlplane.site.SiteResolver;
import io.starling.controlplane.tracker.Tracker;
import io.starling.protocol.agent.CheckInRequest;
import io.starling.protocol.agent.CheckInResponse;
import io.starling.protocol.agent.PeerSources;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An agent's periodic call: inventory in, desired state out. Runs for the whole fleet every
 * interval, so it normally touches no database at all: the agent comes from {@link AgentDirectory},
 * its deployments and their manifests from {@link PendingDeployments}, sites, keys and the
 * origin's address from memory, the signed assignment from {@link AssignmentStatements} (signed only
 * when it changes), and what it says of itself is written behind in batches by
 * {@link io.starling.controlplane.fleet.CheckInFacts}. See those classes for how fresh each is.
 */
@ApplicationScoped
public class CheckIns {

    private final Agents agents;
    private final PendingDeployments deployments;
    private final SiteResolver sites;
    private final SigningKey signingKey;
    private final Tracker tracker;
    private final FleetConfig config;
    private final AssignmentStatements statements;
    private final SwarmCa swarmCa;

    CheckIns(Agents agents, PendingDeployments deployments, SiteResolver sites, SigningKey signingKey, Tracker tracker,
             FleetConfig config, AssignmentStatements statements, SwarmCa swarmCa) {
        this.statements = statements;
        this.swarmCa = swarmCa;
        this.agents = agents;
        this.deployments = deployments;
        this.sites = sites;
        this.signingKey = signingKey;
        this.tracker = tracker;
        this.config = config;
    }

    /** @param remoteAddress the address the request came from: it decides the site, not what the agent says */
    public CheckInResponse checkIn(String clientId, CheckInRequest request, String remoteAddress) {
        Instant now = Instant.now();
        Agents.CheckedIn a = agents.recordCheckIn(clientId, request, remoteAddress, now);
        PeerSources peerSources = new PeerSources(sites.cidrsOf(a.site()), tracker.originPeers());
        PendingDeployments.Pending pending = deployments.pendingFor(a.id(), now);
        return new CheckInResponse(a.id().toString(), a.site(), pending.desired(), signingKey.trustedKeys(),
                peerSources, next(now), now, signingKey.signedKeySet().orElse(null),
                statements.statementFor(a.id(), pending.assigned(), now), peerCertificate(a, request));
    }

    /**
     * A renewed peer certificate for SSL torrents when the agent asks for one. Only an active agent
     * gets here (recordCheckIn refuses a revoked one), which is all the revocation a certificate
     * needs: a revoked agent's last one runs out within starling.swarm.certificate-validity.
     */
    private String peerCertificate(Agents.CheckedIn a, CheckInRequest request) {
        if (request.peerPublicKey() == null || request.peerPublicKey().isBlank()) {
            return null;
        }
        try {
            return swarmCa.issueForAgent(a.id().toString(), request.peerPublicKey());
        } catch (IllegalArgumentException e) {
            throw new DomainException.Invalid("peerPublicKey: " + e.getMessage());
        }
    }

    /** The interval times a random factor in 1 ± jitter: a fleet started together spreads out. */
    Instant next(Instant now) {
        double jitter = Math.max(0, Math.min(config.checkInJitter(), 0.9));
        double factor = 1 + (jitter == 0 ? 0 : ThreadLocalRandom.current().nextDouble(-jitter, jitter));
        return now.plusMillis(Math.round(config.checkInInterval().toMillis() * factor));
    }
}
