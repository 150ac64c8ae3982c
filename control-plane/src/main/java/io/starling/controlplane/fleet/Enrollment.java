package io.starling.controlplane.fleet;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.common.Names;
import io.starling.controlplane.passkey.Passkeys;
import io.starling.controlplane.peertls.PeerCertificates;
import io.starling.controlplane.peertls.SwarmCa;
import io.starling.controlplane.signing.SigningKey;
import io.starling.controlplane.site.Site;
import io.starling.controlplane.site.SiteResolver;
import io.starling.protocol.agent.EnrollRequest;
import io.starling.protocol.agent.EnrollResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Turns an enrollment token into an agent: one use of the token, an agent row, a tracker
 * passkey and a Keycloak client, all or nothing.
 */
@ApplicationScoped
public class Enrollment {

    private static final Logger LOG = Logger.getLogger(Enrollment.class);
    static final int MAX_HOSTNAME = 255;
    static final int MAX_VERSION = 64;
    /** Longer than any token this server makes; longer input is not worth hashing. */
    private static final int MAX_TOKEN = 256;

    private final Passkeys passkeys;
    private final AgentCredentials credentials;
    private final SigningKey signingKey;
    private final SiteResolver sites;
    private final String tokenUrl;
    private final Event<AgentEvent> events;
    private final SwarmCa swarmCa;

    Enrollment(Passkeys passkeys, AgentCredentials credentials, SigningKey signingKey, SiteResolver sites,
            FleetConfig config, @ConfigProperty(name = "quarkus.oidc.auth-server-url") Optional<String> authServerUrl,
            Event<AgentEvent> events, SwarmCa swarmCa) {
        this.events = events;
        this.swarmCa = swarmCa;
        this.passkeys = passkeys;
        this.credentials = credentials;
        this.signingKey = signingKey;
        this.sites = sites;
        this.tokenUrl = config.tokenUrl().orElseGet(() -> authServerUrl
                .map(url -> url.replaceAll("/+$", "") + "/protocol/openid-connect/token").orElse(null));
    }

    /**
     * The Keycloak client is created inside the transaction that spends the token, as its last
     * step: when Keycloak fails, the transaction rolls back and the token keeps its use. When the
     * commit fails after Keycloak said yes, the new client is disabled again.
     *
     * @param remoteAddress the address the request came from
     */
    public EnrollResponse enroll(EnrollRequest request, String remoteAddress) {
        String hostname = text(request.hostname(), "hostname", MAX_HOSTNAME, true);
        String agentVersion = text(request.agentVersion(), "agentVersion", MAX_VERSION, false);
        TreeSet<String> requestedLabels = EnrollmentTokens.labels(request.labels());
        String token = request.token();
        if (token == null || token.isBlank()) {
            throw new DomainException.Unauthenticated("An enrollment token is required: ask an admin for one.");
        }
        String tokenHash = token.length() > MAX_TOKEN ? null : EnrollmentTokens.hash(token.strip());
        String peerPublicKey = peerPublicKey(request.peerPublicKey());
        UUID agentId = UUID.randomUUID();
        AtomicReference<AgentCredentials.Credentials> created = new AtomicReference<>();
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                // Full precision: agents are listed by enrollment time, newest first.
                Instant now = Instant.now();
                EnrollmentToken t = spend(tokenHash, now);
                TreeSet<String> labels = new TreeSet<>(List.of(t.labels));
                labels.addAll(requestedLabels);
                if (labels.size() > Names.MAX_LABELS) {
                    throw new DomainException.Invalid("labels: the token's and the requested labels together exceed "
                            + Names.MAX_LABELS + ".");
                }
                Agent a = new Agent();
                a.id = agentId;
                a.clientId = AgentCredentials.clientIdOf(agentId.toString());
                a.hostname = hostname;
                a.agentVersion = agentVersion;
                a.pinnedSite = t.site;
                a.site = t.site != null ? t.site : sites.siteOf(remoteAddress).orElse(null);
                a.labels = labels.toArray(String[]::new);
                a.enrolledAt = now;
                a.lastCheckIn = now;
                a.lastAddress = remoteAddress;
                a.enrollmentTokenId = t.id;
                a.passkey = passkeys.createForAgent(agentId, hostname, t.site).passkey();
                a.persist();
                // Anything the database would refuse, it refuses now, before Keycloak is asked.
                Agent.flush();
                String peerCertificate = peerPublicKey == null ? null
                        : swarmCa.issueForAgent(agentId.toString(), peerPublicKey);
                AgentCredentials.Credentials c = credentials.create(agentId.toString());
                created.set(c);
                a.clientId = c.clientId();
                LOG.infof("Enrolled agent %s (%s) with token %s, site %s", agentId, Names.printable(hostname), t.id, a.site);
                events.fire(new AgentEvent(AgentEvent.Kind.ENROLLED, agentId, "enrollment token " + t.id));
                signingKey.refresh(false);
                return new EnrollResponse(agentId.toString(), c.clientId(), c.secret(), tokenUrl, a.passkey,
                        signingKey.trustedKeys(), a.site, List.copyOf(labels), signingKey.rootKey().orElse(null),
                        signingKey.signedKeySet().orElse(null), peerCertificate);
            });
        } catch (RuntimeException e) {
            AgentCredentials.Credentials orphan = created.get();
            if (orphan != null) {
                disableQuietly(orphan.clientId());
            } else if (e instanceof DomainException.Unavailable) {
                throw new DomainException.Unavailable(e.getMessage()
                        + " The enrollment token was not used up; enroll again later.");
            }
            throw e;
        }
    }

    /**
     * The key the agent's first certificate for SSL torrents is for, checked before anything is
     * spent: a key that is not one refuses the enrollment and the token keeps its use. The swarm CA
     * is made (the first time) in a transaction of its own, not in the enrollment's, whose rollback
     * would leave it in memory only. The certificate itself is issued once the token is spent: the
     * answer brings it so that a fresh agent's first download need not wait for a check-in.
     */
    private String peerPublicKey(String publicKeyBase64) {
        if (publicKeyBase64 == null || publicKeyBase64.isBlank()) {
            return null;
        }
        try {
            PeerCertificates.publicKey(publicKeyBase64);
        } catch (IllegalArgumentException e) {
            throw new DomainException.Invalid("peerPublicKey: " + e.getMessage());
        }
        swarmCa.certificatePem();
        return publicKeyBase64;
    }

    private static EnrollmentToken spend(String tokenHash, Instant now) {
        EnrollmentToken t = (tokenHash == null ? Optional.<EnrollmentToken>empty() : EnrollmentToken.byHashForUpdate(tokenHash))
                .orElseThrow(() -> new DomainException.Unauthenticated("Unknown enrollment token."));
        switch (t.status(now)) {
            case REVOKED -> throw new DomainException.Forbidden("This enrollment token was revoked at " + t.revokedAt
                    + "; ask an admin for a new one.");
            case EXPIRED -> throw new DomainException.Forbidden("This enrollment token expired at " + t.expiresAt
                    + "; ask an admin for a new one.");
            case USED_UP -> throw new DomainException.Forbidden("This enrollment token is used up: all " + t.usesTotal
                    + " of its uses are spent; ask an admin for a new one.");
            case ACTIVE -> {
            }
        }
        if (t.site != null && Site.byName(t.site).isEmpty()) {
            throw new DomainException.Conflict("The site '" + t.site + "' of this enrollment token no longer exists;"
                    + " ask an admin for a new token.");
        }
        t.usesLeft -= 1;
        return t;
    }

    private void disableQuietly(String clientId) {
        try {
            credentials.disable(clientId);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Enrollment failed after Keycloak client %s was created, and disabling it failed too;"
                    + " disable it by hand", clientId);
        }
    }

    /** Shown to admins and written to logs: bounded, and without control characters. */
    static String text(String value, String field, int max, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw new DomainException.Invalid(field + ": must not be empty.");
            }
            return null;
        }
        String v = value.strip();
        if (v.length() > max || v.codePoints().anyMatch(Character::isISOControl)) {
            throw new DomainException.Invalid(field + ": at most " + max + " characters, no control characters.");
        }
        return v;
    }
}
