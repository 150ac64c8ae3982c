package io.starling.controlplane.peertls;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.starling.controlplane.common.StarlingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The fleet's swarm CA for SSL torrents: made once (by the first replica that needs it, kept in
 * the database so every replica issues under the same one), then read; or the admin's own CA from
 * {@code starling.swarm.ca-certificate-file} and {@code ca-key-file}, which every replica reads. It
 * signs short-lived peer certificates, one per agent and one for the origin seeder, all of them for
 * any torrent ({@code *}).
 */
@ApplicationScoped
public class SwarmCa {

    private static final Logger LOG = Logger.getLogger(SwarmCa.class);

    /** A peer certificate and its private key, PEM, for the origin seeder. */
    public record PeerIdentity(String certificatePem, String privateKeyPem) {
    }

    private final SwarmTlsConfig config;
    private final StarlingConfig starling;
    private final EntityManager em;
    private volatile PeerCertificates.Ca ca;

    SwarmCa(SwarmTlsConfig config, StarlingConfig starling, EntityManager em) {
        this.config = config;
        this.starling = starling;
        this.em = em;
    }

    /** A CA given as files is read at start, so that a wrong file stops the start rather than a publish. */
    void atStart(@Observes StartupEvent start) {
        if (configured()) {
            ca();
        }
        if (!config.ssl() && starling.publicUrl().filter(u -> u.regionMatches(true, 0, "https:", 0, 6)).isPresent()) {
            LOG.warnf("starling.public-url is %s but starling.swarm.ssl is false: libtorrent cannot announce plain "
                    + "torrents over HTTPS (docs/security.md, \"HTTPS on every control channel\"); agents will get "
                    + "nothing from the tracker or the web seed. Use SSL torrents, or an http:// public URL",
                    starling.publicUrl().get());
        }
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
                    ca = configured() ? fromConfiguredFiles() : QuarkusTransaction.joiningExisting().call(this::loadOrCreate);
                }
                c = ca;
            }
        }
        return c;
    }

    private boolean configured() {
        return config.caCertificateFile().isPresent() || config.caKeyFile().isPresent();
    }

    private PeerCertificates.Ca fromConfiguredFiles() {
        PeerCertificates.Ca files = fromFiles(config.caCertificateFile(), config.caKeyFile());
        LOG.infof("The swarm CA for SSL torrents is %s (%s)",
                PeerCertificates.certificate(files.certificatePem()).getSubjectX500Principal().getName(),
                config.caCertificateFile().get());
        return files;
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

    /**
     * The CA from its two files, checked: a CA certificate, and the private key that belongs to it.
     *
     * @throws IllegalStateException with one line naming the file and what is wrong with it
     */
    static PeerCertificates.Ca fromFiles(Optional<Path> certificateFile, Optional<Path> keyFile) {
        if (certificateFile.isEmpty() || keyFile.isEmpty()) {
            throw new IllegalStateException("starling.swarm.ca-certificate-file and starling.swarm.ca-key-file go together: "
                    + "set both, or neither (the control plane then makes its own swarm CA)");
        }
        String certificatePem = read(certificateFile.get(), "starling.swarm.ca-certificate-file");
        String keyPem = read(keyFile.get(), "starling.swarm.ca-key-file");
        X509Certificate certificate;
        try {
            certificate = PeerCertificates.certificate(certificatePem);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("starling.swarm.ca-certificate-file " + certificateFile.get() + ": "
                    + e.getMessage());
        }
        if (certificate.getBasicConstraints() < 0) {
            throw new IllegalStateException("starling.swarm.ca-certificate-file " + certificateFile.get()
                    + " is not a CA certificate (no basicConstraints CA:TRUE)");
        }
        PeerCertificates.Ca ca = new PeerCertificates.Ca(certificatePem, keyPem);
        try {
            // Issuing one certificate proves the key reads and belongs to the certificate.
            PublicKey probe = PeerCertificates.newKeyPair().getPublic();
            PeerCertificates.certificate(PeerCertificates.issue(ca, probe, "probe", Duration.ofMinutes(1)))
                    .verify(certificate.getPublicKey());
        } catch (IllegalArgumentException | IllegalStateException | GeneralSecurityException e) {
            throw new IllegalStateException("starling.swarm.ca-key-file " + keyFile.get()
                    + " is not the EC private key (PKCS#8 PEM, BEGIN PRIVATE KEY) of " + certificateFile.get());
        }
        return ca;
    }

    private static String read(Path file, String key) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(key + " " + file + " cannot be read: " + e);
        }
    }
}
