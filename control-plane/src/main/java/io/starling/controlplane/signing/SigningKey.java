package io.starling.controlplane.signing;

import io.starling.controlplane.common.StarlingConfig;
import io.starling.protocol.agent.TrustedKey;
import io.starling.protocol.assignment.AssignmentSigner;
import io.starling.protocol.manifest.Ed25519Keys;
import io.starling.protocol.manifest.ManifestSigner;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The control plane's manifest signing key: loaded from its PEM file, or generated once and
 * kept (owner-only) for the quick start.
 */
@ApplicationScoped
public class SigningKey {

    private static final Logger LOG = Logger.getLogger(SigningKey.class);

    private final PublicKey publicKey;
    private final String keyId;
    private final ManifestSigner signer;
    private final AssignmentSigner assignmentSigner;
    private final List<TrustedKey> trustedKeys;

    SigningKey(SigningConfig config, StarlingConfig starling) {
        Path file = fileOf(config, starling);
        PrivateKey privateKey = load(file, config.generateIfMissing());
        this.publicKey = publicKeyOf(privateKey);
        this.keyId = Ed25519Keys.keyId(publicKey);
        this.signer = new ManifestSigner(privateKey, keyId);
        this.assignmentSigner = new AssignmentSigner(privateKey, keyId);
        this.trustedKeys = List.of(new TrustedKey(keyId, Ed25519Keys.toPem(publicKey)));
        LOG.infof("Manifest signing key %s from %s", keyId, file.toAbsolutePath());
    }

    /** Where the private key is read from (and, for the quick start, generated into). */
    public static Path fileOf(SigningConfig config, StarlingConfig starling) {
        return config.keyFile().orElse(starling.home().resolve("keys").resolve("manifest-signing.pem"));
    }

    public String keyId() {
        return keyId;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public ManifestSigner signer() {
        return signer;
    }

    /** The same key signs each agent's assignment: agents already trust it, and it is online by nature. */
    public AssignmentSigner assignmentSigner() {
        return assignmentSigner;
    }

    /** The keys agents pin at enrollment and receive again at every check-in, as PEM. */
    public List<TrustedKey> trustedKeys() {
        return trustedKeys;
    }

    private static PrivateKey load(Path file, boolean generateIfMissing) {
        try {
            if (!Files.exists(file)) {
                if (!generateIfMissing) {
                    throw new IllegalStateException("No manifest signing key at " + file.toAbsolutePath()
                            + " and starling.signing.generate-if-missing=false");
                }
                generate(file);
            }
            return Ed25519Keys.readPrivateKey(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the manifest signing key " + file.toAbsolutePath(), e);
        }
    }

    /** Written to a temp file with owner-only permissions, then renamed: never a half key. */
    private static void generate(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        KeyPair pair = Ed25519Keys.generate();
        Path tmp = Files.createTempFile(dir, "key-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, Ed25519Keys.toPem(pair.getPrivate()), StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        LOG.infof("Generated a new manifest signing key in %s", file.toAbsolutePath());
    }

    /**
     * The JDK cannot derive an Ed25519 public key from a private one directly, but its key pair
     * generator takes the 32-byte seed from the random source: feeding it the seed gives the pair
     * back. This lets operators provide just {@code openssl genpkey -algorithm ed25519} output.
     */
    static PublicKey publicKeyOf(PrivateKey privateKey) {
        byte[] seed = ((EdECPrivateKey) privateKey).getBytes()
                .orElseThrow(() -> new IllegalStateException("The signing key does not expose its seed"));
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                @Override
                public void nextBytes(byte[] bytes) {
                    System.arraycopy(seed, 0, bytes, 0, bytes.length);
                }
            });
            return generator.generateKeyPair().getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot derive the public signing key", e);
        }
    }
}
