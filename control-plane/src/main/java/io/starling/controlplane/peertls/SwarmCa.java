package io.starling.controlplane.peertls;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The fleet's swarm CA for SSL torrents: made once (by the first replica that needs it, kept in
 * the database so every replica issues under the same one), then read. It signs short-lived peer
 * certificates, one per agent and one for the origin seeder, all of them for any torrent ({@code *}).
 */
@ApplicationScoped
public class SwarmCa {

    private static final Logger LOG = Logger.getLogger(SwarmCa.class);

    /** A peer certificate and its private key, PEM, for the origin seeder. */
    public record PeerIdentity(String certificatePem, String privateKeyPem) {
    }

    private final SwarmTlsConfig config;
    private final EntityManager em;
    private volatile PeerCertificates.Ca ca;

    SwarmCa(SwarmTlsConfig config, EntityManager em) {
        this.config = config;
        this.em = em;
    }

    /** Whether releases published now become SSL torrents ({@code starling.swarm.ssl}). */
    public boolean sslTorrents() {
        return config.ssl();
    }

    /** The CA certificate (PEM) that goes into SSL torrents' info dictionaries. */
    public String certificatePem() {
        return ca().certificatePem();
    }

    /**
     * A certificate for an agent's peer key, naming the agent. Call only for an active agent:
     * that is the whole of revocation here (a revoked agent's last certificate runs out).
     *
     * @throws IllegalArgumentException when the key is not an EC or RSA public key
     */
    public String issueForAgent(String agentId, String publicKeyBase64) {
        PublicKey key = PeerCertificates.publicKey(publicKeyBase64);
        return PeerCertificates.issue(ca(), key, "agent " + agentId, config.certificateValidity());
    }

    /** A fresh key and certificate for the origin seeder, valid as long as the CA. */
    public PeerIdentity originIdentity() {
        KeyPair keys = PeerCertificates.newKeyPair();
        return new PeerIdentity(PeerCertificates.issue(ca(), keys.getPublic(), "origin", config.caValidity()),
                PeerCertificates.pem(keys.getPrivate()));
    }

    private PeerCertificates.Ca ca() {
        PeerCertificates.Ca c = ca;
        if (c == null) {
            synchronized (this) {
                if (ca == null) {
                    ca = QuarkusTransaction.joiningExisting().call(this::loadOrCreate);
                }
                c = ca;
            }
        }
        return c;
    }

    private PeerCertificates.Ca loadOrCreate() {
        Optional<SwarmCaRow> row = SwarmCaRow.findByIdOptional(SwarmCaRow.ID);
        if (row.isPresent()) {
            return new PeerCertificates.Ca(row.get().certificate, row.get().privateKey);
        }
        PeerCertificates.Ca made = PeerCertificates.newCa("Starling swarm CA", config.caValidity());
        // Two replicas may make one at once: the first insert wins, the other reads it.
        int inserted = em.createNativeQuery("insert into swarm_ca (id, certificate, private_key, created_at) "
                        + "values (1, ?1, ?2, ?3) on conflict (id) do nothing")
                .setParameter(1, made.certificatePem()).setParameter(2, made.privateKeyPem())
                .setParameter(3, Instant.now()).executeUpdate();
        if (inserted == 1) {
            LOG.info("Made the swarm CA for SSL torrents (table swarm_ca)");
            return made;
        }
        em.clear();
        SwarmCaRow won = SwarmCaRow.findById(SwarmCaRow.ID);
        return new PeerCertificates.Ca(won.certificate, won.privateKey);
    }
}
