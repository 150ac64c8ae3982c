package io.starling.controlplane.signing;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.starling.controlplane.common.StarlingConfig;
import io.starling.protocol.agent.TrustedKey;
import io.starling.protocol.assignment.AssignmentSigner;
import io.starling.protocol.keys.KeySet;
import io.starling.protocol.keys.KeySetVerifier;
import io.starling.protocol.keys.SignedKeySet;
import io.starling.protocol.manifest.CanonicalJson;
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
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The control plane's manifest signing keys, and the key set the offline root signed for them.
 *
 * <p>The first key is the PEM file (loaded, or generated once and kept owner-only for the quick
 * start). Keys made for rotation live in the database ({@link OnlineSigningKey}). Without a key
 * set, the file key signs. With one, the newest key this control plane holds among the set's
 * trusted (listed, not revoked) keys signs: uploading a set that lists a new key is what switches
 * to it. Every replica reads the newest set every {@code starling.signing.key-set-refresh}, and
 * before every publish.
 */
@ApplicationScoped
public class SigningKey {

    private static final Logger LOG = Logger.getLogger(SigningKey.class);

    /** A key this control plane can sign with. The file key counts as the oldest. */
    public record Held(String keyId, PublicKey publicKey, PrivateKey privateKey, Instant createdAt) {
    }

    /** What signs now, and what agents are told to trust. */
    record State(Held active, List<TrustedKey> trustedKeys, Map<String, Held> held, Optional<SignedKeySet> signedKeySet,
            Optional<KeySet> keySet) {

        long version() {
            return keySet.map(KeySet::version).orElse(-1L);
        }
    }

    private final Held fileKey;
    private final Optional<PublicKey> root;
    private final Optional<TrustedKey> rootKey;
    private volatile State state;

    SigningKey(SigningConfig config, StarlingConfig starling) {
        Path file = fileOf(config, starling);
        PrivateKey privateKey = load(file, config.generateIfMissing());
        PublicKey publicKey = publicKeyOf(privateKey);
        this.fileKey = new Held(Ed25519Keys.keyId(publicKey), publicKey, privateKey, Instant.EPOCH);
        this.root = config.rootKey().map(SigningKey::readRoot);
        this.rootKey = root.map(r -> new TrustedKey(Ed25519Keys.keyId(r), Ed25519Keys.toPem(r)));
        this.state = new State(fileKey, List.of(trusted(fileKey)), Map.of(fileKey.keyId(), fileKey), Optional.empty(),
                Optional.empty());
        LOG.infof("Manifest signing key %s from %s%s", fileKey.keyId(), file.toAbsolutePath(),
                rootKey.map(r -> "; root key " + r.keyId() + " vouches for the keys agents trust").orElse(""));
    }

    /** Where the private key is read from (and, for the quick start, generated into). */
    public static Path fileOf(SigningConfig config, StarlingConfig starling) {
        return config.keyFile().orElse(starling.home().resolve("keys").resolve("manifest-signing.pem"));
    }

    public String keyId() {
        return state.active().keyId();
    }

    public PublicKey publicKey() {
        return state.active().publicKey();
    }

    public ManifestSigner signer() {
        Held active = state.active();
        return new ManifestSigner(active.privateKey(), active.keyId());
    }

    /**
     * The key that signs manifests signs each agent's assignment too: agents already trust it (and
     * follow it through key sets), and it is online by nature.
     */
    public AssignmentSigner assignmentSigner() {
        Held active = state.active();
        return new AssignmentSigner(active.privateKey(), active.keyId());
    }

    /**
     * The keys agents pin at enrollment and receive again at every check-in, as PEM: the set's
     * trusted keys when there is a set, else the file key.
     */
    public List<TrustedKey> trustedKeys() {
        return state.trustedKeys();
    }

    /** The offline root's public key ({@code starling.signing.root-key}), if configured. */
    public Optional<TrustedKey> rootKey() {
        return rootKey;
    }

    /** The configured root's fingerprint (SHA-256 of its DER public key), what agents pin with {@code --root-key-fingerprint}. */
    public Optional<String> rootFingerprint() {
        return root.map(Ed25519Keys::fingerprint);
    }

    /** A verifier for key sets signed by the configured root. */
    public Optional<KeySetVerifier> rootVerifier() {
        return root.map(KeySetVerifier::new);
    }

    /** The key set in force, as the root signed it, for agents. */
    public Optional<SignedKeySet> signedKeySet() {
        return state.signedKeySet();
    }

    public Optional<KeySet> keySet() {
        return state.keySet();
    }

    /** Every key this control plane can sign with, by id. */
    public Map<String, Held> held() {
        return state.held();
    }

    /**
     * Reads the keys and the newest key set again, when the database holds a newer set than this
     * replica knows (or always, with {@code force}). Inside a transaction of the caller's, or its own.
     */
    public void refresh(boolean force) {
        QuarkusTransaction.joiningExisting().run(() -> {
            Optional<KeySetUpload> latest = KeySetUpload.latest();
            long version = latest.map(u -> u.version).orElse(-1L);
            if (force || version != state.version() || state.held().size() != 1 + OnlineSigningKey.count()) {
                state = read(latest);
            }
        });
    }

    @Scheduled(every = "${starling.signing.key-set-refresh:10s}", delay = 2, delayUnit = TimeUnit.SECONDS,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refreshInBackground() {
        try {
            refresh(false);
        } catch (RuntimeException e) {
            LOG.warnf("Cannot read the signing keys and key set: %s", e.getMessage());
        }
    }

    private State read(Optional<KeySetUpload> latest) {
        Map<String, Held> held = new LinkedHashMap<>();
        held.put(fileKey.keyId(), fileKey);
        for (OnlineSigningKey k : OnlineSigningKey.<OnlineSigningKey>list("order by createdAt")) {
            held.put(k.keyId, new Held(k.keyId, Ed25519Keys.readPublicKey(k.publicKey),
                    Ed25519Keys.readPrivateKey(k.privateKey), k.createdAt));
        }
        if (latest.isEmpty()) {
            return new State(fileKey, List.of(trusted(fileKey)), Map.copyOf(held), Optional.empty(), Optional.empty());
        }
        KeySetUpload upload = latest.get();
        KeySet set = CanonicalJson.read(upload.document, KeySet.class);
        Set<String> trustedIds = set.trusted().keySet();
        Held active = held.values().stream().filter(h -> trustedIds.contains(h.keyId()))
                .max(Comparator.comparing(Held::createdAt)).orElse(null);
        if (active == null) {
            LOG.errorf("Key set %d trusts none of the keys this control plane holds; signing with %s, which agents "
                    + "will refuse", set.version(), fileKey.keyId());
            active = fileKey;
        }
        if (!Instant.now().isBefore(set.expiresAt())) {
            LOG.errorf("Key set %d expired at %s: agents refuse every manifest until an admin uploads a new one",
                    set.version(), set.expiresAt());
        }
        List<TrustedKey> trusted = set.keys().stream().filter(k -> trustedIds.contains(k.keyId()))
                .map(k -> new TrustedKey(k.keyId(), k.publicKey())).toList();
        Base64.Encoder base64 = Base64.getEncoder();
        SignedKeySet signed = new SignedKeySet(base64.encodeToString(upload.document), base64.encodeToString(upload.signature));
        return new State(active, trusted, Map.copyOf(held), Optional.of(signed), Optional.of(set));
    }

    private static TrustedKey trusted(Held key) {
        return new TrustedKey(key.keyId(), Ed25519Keys.toPem(key.publicKey()));
    }

    /** The root's public key; its private half on the server would defeat the point of a root. */
    private static PublicKey readRoot(Path file) {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the root key starling.signing.root-key=" + file.toAbsolutePath(), e);
        }
        if (pem.contains("PRIVATE KEY")) {
            throw new IllegalStateException("starling.signing.root-key=" + file.toAbsolutePath() + " holds a private key: "
                    + "give the control plane the root's public key only (starling-agent keys init-root writes it "
                    + "beside the private one) and keep the private key offline");
        }
        try {
            return Ed25519Keys.readPublicKey(pem);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("starling.signing.root-key=" + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
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

    static PublicKey publicKeyOf(PrivateKey privateKey) {
        return Ed25519Keys.publicKeyOf(privateKey);
    }
}
