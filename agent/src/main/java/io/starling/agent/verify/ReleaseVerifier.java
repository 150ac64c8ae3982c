package io.starling.agent.verify;

import io.starling.protocol.agent.SignedAssignment;
import io.starling.protocol.agent.TrustedKey;
import io.starling.protocol.assignment.Assignment;
import io.starling.protocol.assignment.AssignmentRejectedException;
import io.starling.protocol.assignment.AssignmentVerifier;
import io.starling.protocol.manifest.Ed25519Keys;
import io.starling.protocol.manifest.Manifest;
import io.starling.protocol.manifest.ManifestLimits;
import io.starling.protocol.manifest.ManifestRejectedException;
import io.starling.protocol.manifest.ManifestVerifier;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The agent's manifest check: protocol's {@link ManifestVerifier} over the keys the agent pinned,
 * and the check of each check-in answer's signed assignment ({@link AssignmentVerifier}) over the
 * same keys: whatever changes how keys are trusted changes both. Thread-safe; build a new one when
 * the pinned keys change.
 */
public final class ReleaseVerifier implements AssignmentKeys {

    private static final Logger LOG = Logger.getLogger(ReleaseVerifier.class);

    private final ManifestVerifier verifier;
    private final AssignmentVerifier assignments;
    private final Set<String> keyIds;

    public ReleaseVerifier(Collection<TrustedKey> pinnedKeys) {
        this(pinnedKeys, ManifestLimits.DEFAULT);
    }

    /**
     * A key that is not an Ed25519 PEM, or whose stated id is not its own, is left out with a
     * warning rather than failing the whole set: it could never verify anything, and the other
     * keys must keep working.
     */
    public ReleaseVerifier(Collection<TrustedKey> pinnedKeys, ManifestLimits limits) {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        for (TrustedKey trusted : pinnedKeys) {
            PublicKey key;
            try {
                key = Ed25519Keys.readPublicKey(trusted.publicKey());
            } catch (IllegalArgumentException | NullPointerException e) {
                LOG.warnf("Manifest key %s is left out: %s", trusted.keyId(), e.getMessage());
                continue;
            }
            String actualId = Ed25519Keys.keyId(key);
            if (!actualId.equals(trusted.keyId())) {
                LOG.warnf("Manifest key %s is left out: the key's id is %s", trusted.keyId(), actualId);
                continue;
            }
            keys.put(actualId, key);
        }
        this.verifier = new ManifestVerifier(keys, limits);
        this.assignments = new AssignmentVerifier(keys);
        this.keyIds = Set.copyOf(keys.keySet());
    }

    /** The ids of the keys this verifier accepts signatures from. */
    public Set<String> keyIds() {
        return keyIds;
    }

    /**
     * @param lastInstalledSequence the product's last installed sequence, -1 if none
     * @throws ManifestRejectedException whose reason is what the agent reports
     */
    public Manifest verify(byte[] manifest, byte[] signature, Instant now, long lastInstalledSequence) {
        return verifier.verify(manifest, signature, now, lastInstalledSequence);
    }

    /**
     * The answer's statement of what this agent should run, checked: signed by a pinned key, for
     * this agent, not expired by {@code timeFloor} (a time the control plane's clock is known to
     * have reached; null if none yet), and not older than {@code lastAccepted} unless it says the same.
     *
     * @throws AssignmentRejectedException whose reason and message the agent logs and shows
     */
    @Override
    public Assignment verifyAssignment(SignedAssignment signed, String agentId, Instant timeFloor, Assignment lastAccepted) {
        return assignments.verify(signed, agentId, timeFloor, lastAccepted);
    }

    /**
     * The same, for the base64 text a check-in or the journal carries.
     *
     * @throws ManifestRejectedException MALFORMED or BAD_SIGNATURE for text that is not base64
     */
    public Manifest verify(String manifestBase64, String signatureBase64, Instant now, long lastInstalledSequence) {
        byte[] manifest;
        byte[] signature;
        try {
            manifest = Base64.getDecoder().decode(manifestBase64);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ManifestRejectedException(ManifestRejectedException.Reason.MALFORMED, "manifest is not base64");
        }
        try {
            signature = Base64.getDecoder().decode(signatureBase64);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ManifestRejectedException(ManifestRejectedException.Reason.BAD_SIGNATURE, "signature is not base64");
        }
        return verify(manifest, signature, now, lastInstalledSequence);
    }
}
