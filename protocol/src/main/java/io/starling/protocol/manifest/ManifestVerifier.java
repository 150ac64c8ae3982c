package io.starling.protocol.manifest;

import static io.starling.protocol.manifest.ManifestRejectedException.Reason.BAD_SIGNATURE;
import static io.starling.protocol.manifest.ManifestRejectedException.Reason.EXPIRED;
import static io.starling.protocol.manifest.ManifestRejectedException.Reason.MALFORMED;
import static io.starling.protocol.manifest.ManifestRejectedException.Reason.NOT_YET_VALID;
import static io.starling.protocol.manifest.ManifestRejectedException.Reason.ROLLBACK;
import static io.starling.protocol.manifest.ManifestRejectedException.Reason.TOO_LARGE;
import static io.starling.protocol.manifest.ManifestRejectedException.Reason.UNKNOWN_KEY;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * Decides whether an agent may act on a manifest. Thread-safe.
 *
 * <p>The order of checks is deliberate: cheap bounds first, then only as much parsing as it
 * takes to find the key id, then the signature over the exact bytes, and only then the full
 * parse and the content rules, so that nothing an attacker controls is interpreted in depth
 * before the bytes are known to come from a trusted key. Time and sequence come last because
 * they concern a manifest that is otherwise genuine.
 */
public final class ManifestVerifier {

    private final Map<String, PublicKey> trustedKeys;
    private final ManifestLimits limits;

    /** @param trustedKeys key id ({@link Ed25519Keys#keyId}) to Ed25519 public key */
    public ManifestVerifier(Map<String, PublicKey> trustedKeys, ManifestLimits limits) {
        trustedKeys.forEach((id, key) -> {
            if (!Ed25519Keys.isEd25519(key) || !id.equals(Ed25519Keys.keyId(key))) {
                throw new IllegalArgumentException("trusted key " + id + " is not an Ed25519 key with that id");
            }
        });
        this.trustedKeys = Map.copyOf(trustedKeys);
        this.limits = limits;
    }

    /**
     * @param lastInstalledSequence the sequence of the product's manifest installed last, -1 if none;
     *                              the manifest's sequence must be strictly greater (an explicit
     *                              rollback is a new manifest with a higher sequence)
     * @throws ManifestRejectedException saying why the manifest must not be used
     */
    public Manifest verify(byte[] bytes, byte[] signature, Instant now, long lastInstalledSequence) {
        if (bytes.length > limits.maxManifestBytes()) {
            throw new ManifestRejectedException(TOO_LARGE,
                    bytes.length + " bytes, more than the limit of " + limits.maxManifestBytes());
        }
        String keyId = keyIdOf(bytes);
        PublicKey key = trustedKeys.get(keyId);
        if (key == null) {
            throw new ManifestRejectedException(UNKNOWN_KEY, "signed with key " + keyId + ", which is not trusted");
        }
        if (!Ed25519Keys.verifies(key, bytes, signature)) {
            throw new ManifestRejectedException(BAD_SIGNATURE, "signature does not match key " + keyId);
        }

        Manifest manifest;
        try {
            manifest = CanonicalJson.read(bytes, Manifest.class);
        } catch (IllegalArgumentException e) {
            throw new ManifestRejectedException(MALFORMED, oneLine(e.getMessage()), e);
        }
        // Whatever spelling the reader still tolerated, the signed bytes must be the one canonical
        // form, so that every reader of these bytes sees exactly this manifest.
        if (!Arrays.equals(CanonicalJson.write(manifest), bytes)) {
            throw new ManifestRejectedException(MALFORMED, "not in canonical JSON form");
        }
        ManifestRules.check(manifest, limits);

        if (!now.isBefore(manifest.expiresAt())) {
            throw new ManifestRejectedException(EXPIRED, "expired at " + manifest.expiresAt());
        }
        if (now.plus(limits.clockSkew()).isBefore(manifest.createdAt())) {
            throw new ManifestRejectedException(NOT_YET_VALID, "created at " + manifest.createdAt()
                    + ", later than now (" + now + ") plus the allowed clock skew");
        }
        if (manifest.sequence() <= lastInstalledSequence) {
            throw new ManifestRejectedException(ROLLBACK, "sequence " + manifest.sequence()
                    + " is not above the installed sequence " + lastInstalledSequence);
        }
        return manifest;
    }

    private static String keyIdOf(byte[] bytes) {
        JsonNode tree;
        try {
            tree = CanonicalJson.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new ManifestRejectedException(MALFORMED, "not JSON: " + oneLine(e.getMessage()), e);
        }
        JsonNode keyId = tree == null ? null : tree.get("keyId");
        if (keyId == null || !keyId.isTextual()) {
            throw new ManifestRejectedException(MALFORMED, "no keyId");
        }
        return keyId.textValue();
    }

    private static String oneLine(String message) {
        String text = String.valueOf(message);
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
