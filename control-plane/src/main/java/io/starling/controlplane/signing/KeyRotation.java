package io.starling.controlplane.signing;

import io.starling.controlplane.common.DomainException;
import io.starling.protocol.keys.KeySet;
import io.starling.protocol.keys.KeySetRejectedException;
import io.starling.protocol.keys.KeySetVerifier;
import io.starling.protocol.keys.OnlineKey;
import io.starling.protocol.keys.SignedKeySet;
import io.starling.protocol.manifest.Ed25519Keys;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Rotating and revoking manifest keys: a new online key is made here and waits (pending) until a
 * key set that the offline root signed lists it; taking that set switches signing to it and signs
 * every published release again, so that agents which follow the set can install at once.
 * docs/operations.md, "Rotating the manifest signing key", walks through it.
 */
@ApplicationScoped
public class KeyRotation {

    private static final Logger LOG = Logger.getLogger(KeyRotation.class);

    private final SigningKey keys;
    private final ManifestPublisher publisher;

    KeyRotation(SigningKey keys, ManifestPublisher publisher) {
        this.keys = keys;
        this.publisher = publisher;
    }

    /** A new online key, pending until a key set trusts it. */
    @Transactional
    public SigningKeyView create(String actor) {
        requireRoot();
        KeyPair pair = Ed25519Keys.generate();
        OnlineSigningKey key = new OnlineSigningKey();
        key.keyId = Ed25519Keys.keyId(pair.getPublic());
        key.publicKey = Ed25519Keys.toPem(pair.getPublic());
        key.privateKey = Ed25519Keys.toPem(pair.getPrivate());
        key.createdAt = Instant.now();
        key.createdBy = actor;
        key.persist();
        keys.refresh(true);
        LOG.infof("%s made signing key %s; it signs once a key set signed by the root trusts it", actor, key.keyId);
        return list().stream().filter(v -> v.keyId().equals(key.keyId)).findFirst().orElseThrow();
    }

    /**
     * Takes a key set the root signed: it must verify against the configured root, be newer than
     * the one in force, unexpired, and trust a key this control plane holds.
     */
    @Transactional
    public KeySetView upload(SignedKeySet signed, String actor) {
        KeySetVerifier verifier = requireRoot();
        // One upload at a time: the version check and the insert must see the same newest set.
        KeySetUpload.getEntityManager().createNativeQuery("lock table key_set in exclusive mode").executeUpdate();
        long current = KeySetUpload.latest().map(u -> u.version).orElse(-1L);
        KeySet set;
        try {
            set = verifier.verify(signed, Instant.now(), current);
        } catch (KeySetRejectedException e) {
            String detail = "Key set refused (" + e.reason() + "): " + e.getMessage() + ".";
            throw e.reason() == KeySetRejectedException.Reason.ROLLBACK ? new DomainException.Conflict(detail)
                    : new DomainException.Invalid(detail);
        }
        keys.refresh(true);
        Set<String> held = keys.held().keySet();
        if (set.trusted().keySet().stream().noneMatch(held::contains)) {
            throw new DomainException.Conflict("Key set " + set.version() + " trusts none of the keys this control plane "
                    + "holds (" + String.join(", ", held) + "): it could sign nothing agents would accept.");
        }
        KeySetUpload upload = new KeySetUpload();
        upload.version = set.version();
        upload.document = Base64.getDecoder().decode(signed.keySet());
        upload.signature = Base64.getDecoder().decode(signed.signature());
        upload.uploadedAt = Instant.now();
        upload.uploadedBy = actor;
        upload.persist();
        KeySetUpload.getEntityManager().flush();
        keys.refresh(true);
        int resigned = publisher.resignWithCurrentKey();
        LOG.infof("%s uploaded key set %d (expires %s); signing with key %s; %d release(s) signed again", actor,
                set.version(), set.expiresAt(), keys.keyId(), resigned);
        return view(set);
    }

    public SignedKeySet current() {
        keys.refresh(false);
        return keys.signedKeySet().orElseThrow(() -> new DomainException.NotFound(
                "No key set yet: an admin signs one with the offline root (starling-agent keys sign) and uploads it."));
    }

    public KeySetView currentView() {
        current();
        return view(keys.keySet().orElseThrow());
    }

    /** Every key: those held here, and those the key set names. */
    public List<SigningKeyView> list() {
        keys.refresh(false);
        Map<String, String> pems = new LinkedHashMap<>();
        keys.held().values().forEach(h -> pems.put(h.keyId(), Ed25519Keys.toPem(h.publicKey())));
        keys.keySet().ifPresent(s -> s.keys().forEach(k -> pems.putIfAbsent(k.keyId(), k.publicKey())));
        List<SigningKeyView> views = new ArrayList<>();
        pems.forEach((id, pem) -> views.add(SigningKeyView.of(id, pem, state(id))));
        return views;
    }

    private SigningKeyView.State state(String keyId) {
        if (keyId.equals(keys.keyId())) {
            return SigningKeyView.State.ACTIVE;
        }
        var set = keys.keySet();
        if (set.isEmpty()) {
            return SigningKeyView.State.PENDING;
        }
        if (set.get().revoked().contains(keyId)) {
            return SigningKeyView.State.REVOKED;
        }
        return set.get().keys().stream().map(OnlineKey::keyId).anyMatch(keyId::equals) ? SigningKeyView.State.TRUSTED
                : SigningKeyView.State.PENDING;
    }

    private KeySetView view(KeySet set) {
        return new KeySetView(set.version(), set.rootKeyId(), keys.rootFingerprint().orElse(null), set.createdAt(),
                set.expiresAt(),
                List.copyOf(set.trusted().keySet()), set.revoked(), set.resets(), keys.keyId());
    }

    private KeySetVerifier requireRoot() {
        return keys.rootVerifier().orElseThrow(() -> new DomainException.Conflict("No root key is configured: "
                + "create one offline (starling-agent keys init-root) and set starling.signing.root-key to its public key."));
    }
}
