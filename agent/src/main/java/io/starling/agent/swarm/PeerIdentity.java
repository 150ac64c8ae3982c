package io.starling.agent.swarm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The agent's identity in SSL torrents: an EC P-256 key made once and kept in the state folder
 * (owner-only, never sent), and the certificate the control plane's swarm CA signed for it at
 * enrollment or check-in, also kept, so that a restart seeds at once. The agent asks for a new certificate
 * (sending its public key) when it has none or half of the one it has has passed; a revoked
 * agent gets none, and its last one runs out.
 */
public final class PeerIdentity {

    private static final Logger LOG = Logger.getLogger(PeerIdentity.class);
    static final String KEY_FILE = "swarm-key.pem";
    static final String PUBLIC_KEY_FILE = "swarm-key.pub.pem";
    static final String CERTIFICATE_FILE = "swarm-certificate.pem";

    private final Path dir;
    private final String privateKeyPem;
    private final String publicKeyBase64;
    private volatile String certificatePem;
    private volatile X509Certificate certificate;
    /** A key made for an enrollment and not written yet: an enrollment refused leaves nothing behind. */
    private volatile boolean unsaved;

    private PeerIdentity(Path dir, String privateKeyPem, String publicKeyBase64) {
        this.dir = dir;
        this.privateKeyPem = privateKeyPem;
        this.publicKeyBase64 = publicKeyBase64;
    }

    /** Reads the key (making it the first time) and the certificate, if any, from {@code dir}. */
    public static PeerIdentity open(Path dir) throws IOException {
        if (!hasKey(dir)) {
            forEnrollment(dir).saveKey();
        }
        return read(dir);
    }

    /**
     * Before enrolling: the key kept in {@code dir}, or a new one that is written only by
     * {@link #enrolled}, so that its public half can go with the enrollment request.
     */
    public static PeerIdentity forEnrollment(Path dir) throws IOException {
        if (hasKey(dir)) {
            return read(dir);
        }
        KeyPair keys = newKeys();
        PeerIdentity id = new PeerIdentity(dir, pem("PRIVATE KEY", keys.getPrivate().getEncoded()),
                Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()));
        id.unsaved = true;
        return id;
    }

    private static boolean hasKey(Path dir) {
        return Files.exists(dir.resolve(KEY_FILE)) && Files.exists(dir.resolve(PUBLIC_KEY_FILE));
    }

    private void saveKey() throws IOException {
        write(dir.resolve(PUBLIC_KEY_FILE), pem("PUBLIC KEY", Base64.getDecoder().decode(publicKeyBase64)));
        write(dir.resolve(KEY_FILE), privateKeyPem);
        unsaved = false;
    }

    private static PeerIdentity read(Path dir) throws IOException {
        Path keyFile = dir.resolve(KEY_FILE);
        Path publicFile = dir.resolve(PUBLIC_KEY_FILE);
        String keyPem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        PeerIdentity id = new PeerIdentity(dir, keyPem, body(Files.readString(publicFile, StandardCharsets.US_ASCII)));
        Path certFile = dir.resolve(CERTIFICATE_FILE);
        if (Files.exists(certFile)) {
            try {
                id.take(Files.readString(certFile, StandardCharsets.US_ASCII));
            } catch (IllegalArgumentException e) {
                LOG.warnf("Ignoring %s (%s): the next check-in asks for a new one", certFile, e.getMessage());
            }
        }
        return id;
    }

    /** The public key to send with a check-in when {@link #wantsCertificate} says so. */
    public String publicKeyBase64() {
        return publicKeyBase64;
    }

    public String privateKeyPem() {
        return privateKeyPem;
    }

    /** The certificate, PEM, or empty before enrollment or the first check-in gave one. */
    public Optional<String> certificatePem() {
        return Optional.ofNullable(certificatePem);
    }

    /** No certificate yet, or half of its validity has passed. */
    public boolean wantsCertificate(Instant now) {
        X509Certificate c = certificate;
        if (c == null) {
            return true;
        }
        long from = c.getNotBefore().getTime();
        long to = c.getNotAfter().getTime();
        return now.toEpochMilli() >= from + (to - from) / 2;
    }

    /**
     * Takes a certificate from the control plane and keeps it in the state folder.
     *
     * @throws IllegalArgumentException when it is not a PEM certificate for this agent's key
     */
    public void renew(String pem) throws IOException {
        take(pem);
        write(dir.resolve(CERTIFICATE_FILE), pem);
    }

    /**
     * What an enrollment answer brought: the key is kept (if it was made for this enrollment), and
     * the first certificate for the new identity is taken and kept;
     * none (a control plane that issues them only at check-in) forgets one kept from an earlier
     * enrollment, which names another agent: the first check-in then asks for one.
     *
     * @throws IllegalArgumentException when it is not a PEM certificate for this agent's key (the
     *                                  one kept before is forgotten all the same)
     */
    public void enrolled(String pem) throws IOException {
        if (unsaved) {
            saveKey();
        }
        certificate = null;
        certificatePem = null;
        Files.deleteIfExists(dir.resolve(CERTIFICATE_FILE));
        if (pem != null) {
            renew(pem);
        }
    }

    private void take(String pem) {
        X509Certificate c;
        try {
            c = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalArgumentException("not a PEM X.509 certificate: " + e.getMessage(), e);
        }
        if (!Base64.getEncoder().encodeToString(c.getPublicKey().getEncoded()).equals(publicKeyBase64)) {
            throw new IllegalArgumentException("the certificate is for another key");
        }
        certificate = c;
        certificatePem = pem;
    }

    private static KeyPair newKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make EC P-256 keys", e);
        }
    }

    /** A PEM's base64 body on one line. */
    private static String body(String pem) {
        return pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** Written to an owner-only temporary file, then renamed: never half a key. */
    private static void write(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "swarm-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, content, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
