package io.starling.agent.verify;

import io.starling.agent.state.AgentIdentity;
import io.starling.agent.state.KeySetStore;
import io.starling.protocol.agent.SignedAssignment;
import io.starling.protocol.agent.TrustedKey;
import io.starling.protocol.assignment.Assignment;
import io.starling.protocol.keys.KeySet;
import io.starling.protocol.keys.KeySetRejectedException;
import io.starling.protocol.keys.KeySetVerifier;
import io.starling.protocol.keys.SignedKeySet;
import io.starling.protocol.manifest.Ed25519Keys;
import io.starling.protocol.manifest.Manifest;
import io.starling.protocol.manifest.ManifestRejectedException;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Which keys this agent accepts manifests from: the one place that decides it.
 *
 * <p>Without a pinned root: the manifest keys pinned at enrollment, for good. With a pinned root
 * (the offline key the admin keeps): the trusted keys of the newest key set that root signed,
 * once the agent has one; a set is taken only when it verifies against the root and its version
 * is above the one held, and it is saved so that a restart (or a replayed older set) cannot bring
 * a revoked key back. Once the held set expires, every manifest is refused until a newer set
 * comes: the admin re-signs the set before it expires. Thread-safe.
 */
public final class TrustedKeys implements AssignmentKeys {

    private static final Logger LOG = Logger.getLogger(TrustedKeys.class);

    /** The key set in force and the verifier over its trusted keys. */
    private record Held(SignedKeySet signed, KeySet set, ReleaseVerifier verifier) {
    }

    private final ReleaseVerifier enrolled;
    private final Optional<KeySetVerifier> root;
    private final KeySetStore store;
    private volatile Held held;

    private TrustedKeys(Collection<TrustedKey> enrolledKeys, Optional<KeySetVerifier> root, KeySetStore store) {
        this.enrolled = new ReleaseVerifier(enrolledKeys);
        this.root = root;
        this.store = store;
    }

    /** Exactly these keys, for good: no root, nothing saved. */
    public static TrustedKeys pinned(Collection<TrustedKey> keys) {
        return new TrustedKeys(keys, Optional.empty(), null);
    }

    /**
     * What enrollment pinned, plus the newest saved key set that the pinned root signed (the one
     * from enrollment, or a later one from {@code keyset.json}).
     *
     * @throws IOException when {@code keyset.json} exists but cannot be read
     */
    public static TrustedKeys load(AgentIdentity identity, KeySetStore store) throws IOException {
        Optional<KeySetVerifier> root = Optional.ofNullable(identity.rootKey()).map(r -> new KeySetVerifier(
                Ed25519Keys.readPublicKey(r.publicKey())));
        TrustedKeys keys = new TrustedKeys(identity.manifestKeys(), root, store);
        if (root.isPresent()) {
            keys.resume(identity.keySet());
            keys.resume(store.load().orElse(null));
        }
        return keys;
    }

    private void resume(SignedKeySet signed) {
        if (signed == null) {
            return;
        }
        try {
            KeySet set = root.orElseThrow().read(signed);
            if (held == null || set.version() > held.set().version()) {
                held = held(signed, set);
            }
        } catch (KeySetRejectedException e) {
            LOG.warnf("A saved key set is not the pinned root's and is ignored: %s", e.getMessage());
        }
    }

    private static Held held(SignedKeySet signed, KeySet set) {
        List<TrustedKey> keys = set.keys().stream().filter(k -> !set.revoked().contains(k.keyId()))
                .map(k -> new TrustedKey(k.keyId(), k.publicKey())).toList();
        return new Held(signed, set, new ReleaseVerifier(keys));
    }

    /**
     * Offers a key set from a check-in answer.
     *
     * @return the set, when it was taken now (its sequence resets are then due); empty when it is
     *         the one held, or refused (logged), or there is no pinned root to check it against
     */
    public synchronized Optional<KeySet> offer(SignedKeySet signed, Instant now) throws IOException {
        Held current = held;
        if (signed == null || root.isEmpty() || current != null && current.signed().equals(signed)) {
            return Optional.empty();
        }
        KeySet set;
        try {
            set = root.get().verify(signed, now, current == null ? -1 : current.set().version());
        } catch (KeySetRejectedException e) {
            LOG.warnf("Key set refused (%s): %s", e.reason(), e.getMessage());
            return Optional.empty();
        }
        if (store != null) {
            store.save(signed);
        }
        held = held(signed, set);
        LOG.infof("Took key set %d (expires %s): manifests are accepted from %s%s", set.version(), set.expiresAt(),
                held.verifier().keyIds(), set.revoked().isEmpty() ? "" : "; revoked: " + set.revoked());
        return Optional.of(set);
    }

    /** The key set in force, if any. */
    public Optional<KeySet> keySet() {
        Held current = held;
        return current == null ? Optional.empty() : Optional.of(current.set());
    }

    /** The ids of the keys manifests are accepted from now. */
    public Set<String> keyIds() {
        Held current = held;
        return current == null ? enrolled.keyIds() : current.verifier().keyIds();
    }

    /**
     * @param lastInstalledSequence the product's last installed sequence, -1 if none
     * @throws ManifestRejectedException whose reason is what the agent reports; UNKNOWN_KEY also
     *                                   for a revoked key, or any key once the key set has expired
     */
    public Manifest verify(String manifestBase64, String signatureBase64, Instant now, long lastInstalledSequence) {
        Held current = held;
        if (current == null) {
            return enrolled.verify(manifestBase64, signatureBase64, now, lastInstalledSequence);
        }
        if (!now.isBefore(current.set().expiresAt())) {
            throw new ManifestRejectedException(ManifestRejectedException.Reason.UNKNOWN_KEY, "the key set (version "
                    + current.set().version() + ") expired at " + current.set().expiresAt()
                    + ": no key is trusted until the admin signs a new one with the root key");
        }
        try {
            return current.verifier().verify(manifestBase64, signatureBase64, now, lastInstalledSequence);
        } catch (ManifestRejectedException e) {
            if (e.reason() == ManifestRejectedException.Reason.UNKNOWN_KEY) {
                String revoked = current.set().revoked().stream().filter(id -> e.getMessage().contains(id)).findFirst()
                        .map(id -> "signed with key " + id + ", which key set " + current.set().version() + " revokes")
                        .orElse(e.getMessage());
                throw new ManifestRejectedException(e.reason(), revoked, e);
            }
            throw e;
        }
    }

    /**
     * An assignment is checked against the keys manifests are: those of the key set in force (a
     * revoked key's statement is refused like its manifests), else the keys pinned at enrollment.
     * An expired key set does not stop statements: the freeze alarm, not silence, is what follows
     * when manifests are refused; and the statements then still name what the agent should run.
     */
    @Override
    public Assignment verifyAssignment(SignedAssignment signed, String agentId, Instant timeFloor, Assignment lastAccepted) {
        Held current = held;
        return (current == null ? enrolled : current.verifier()).verifyAssignment(signed, agentId, timeFloor, lastAccepted);
    }
}
