package io.starling.agent.verify;

import io.starling.protocol.agent.TrustedKey;
import io.starling.protocol.manifest.Ed25519Keys;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Manifest keys an admin pinned out of band ({@code --manifest-key-fingerprint}), checked against
 * the keys an enrollment answer offers. Without pins the agent trusts whatever the answer held
 * (trust on first use); with pins, a man in the middle of the enrollment cannot slip in a key of
 * his own: each pin must match an offered key, and only the pinned keys are kept.
 *
 * <p>A fingerprint is {@link Ed25519Keys#fingerprint}: SHA-256 over the key's SubjectPublicKeyInfo
 * DER, 64 hex digits (colons and upper case accepted), whose first 16 digits are the key id the
 * console shows.
 */
public final class ManifestKeyPins {

    private final Set<String> fingerprints;

    private ManifestKeyPins(Set<String> fingerprints) {
        this.fingerprints = fingerprints;
    }

    /** @throws IllegalArgumentException naming the first value that is not a fingerprint */
    public static ManifestKeyPins parse(List<String> values) {
        Set<String> fingerprints = new LinkedHashSet<>();
        for (String value : values) {
            fingerprints.add(fingerprint("--manifest-key-fingerprint", value));
        }
        return new ManifestKeyPins(fingerprints);
    }

    /**
     * A fingerprint as given on the command line, in the one spelling compared: 64 lowercase hex digits.
     *
     * @throws IllegalArgumentException naming {@code option} when {@code value} is not a whole fingerprint
     */
    public static String fingerprint(String option, String value) {
        String hex = value.strip().replace(":", "").toLowerCase(Locale.ROOT);
        if (hex.matches("[0-9a-f]{16}")) {
            throw new IllegalArgumentException(option + " " + value + " is a key id, which is too short "
                    + "to pin: give the key's whole SHA-256 fingerprint (64 hex digits; it starts with the key id)");
        }
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException(option + " " + value + " is not a SHA-256 fingerprint "
                    + "(64 hex digits, e.g. from: openssl pkey -pubin -in key.pem -outform DER | sha256sum)");
        }
        return hex;
    }

    public boolean isEmpty() {
        return fingerprints.isEmpty();
    }

    /** The offered keys to keep, and those left out because nothing pinned them. */
    public record Outcome(List<TrustedKey> kept, List<TrustedKey> dropped) {
    }

    /**
     * @throws KeyPinException when a pinned fingerprint is among none of {@code offered}
     */
    public Outcome select(List<TrustedKey> offered) {
        if (fingerprints.isEmpty()) {
            return new Outcome(List.copyOf(offered), List.of());
        }
        List<TrustedKey> kept = new ArrayList<>();
        List<TrustedKey> dropped = new ArrayList<>();
        Set<String> found = new LinkedHashSet<>();
        for (TrustedKey key : offered) {
            String fingerprint = fingerprintOf(key);
            // A key whose id is not its own would be refused by every manifest check later on;
            // never let it count as the pinned one.
            if (fingerprint != null && fingerprints.contains(fingerprint) && key.keyId() != null
                    && fingerprint.startsWith(key.keyId())) {
                kept.add(key);
                found.add(fingerprint);
            } else {
                dropped.add(key);
            }
        }
        List<String> missing = fingerprints.stream().filter(f -> !found.contains(f)).toList();
        if (!missing.isEmpty()) {
            throw new KeyPinException("the control plane offered no manifest key with fingerprint " + String.join(", ", missing)
                    + " (it offered: " + describe(offered) + "). Compare with the fingerprint shown by the admin; "
                    + "someone may be between this machine and the control plane");
        }
        return new Outcome(List.copyOf(kept), List.copyOf(dropped));
    }

    /** The key's fingerprint, or null when its PEM is not one Ed25519 public key. */
    public static String fingerprintOf(TrustedKey key) {
        try {
            PublicKey publicKey = Ed25519Keys.readPublicKey(key.publicKey());
            return Ed25519Keys.isEd25519(publicKey) ? Ed25519Keys.fingerprint(publicKey) : null;
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    private static String describe(List<TrustedKey> offered) {
        if (offered.isEmpty()) {
            return "none";
        }
        return String.join(", ", offered.stream().map(k -> {
            String fingerprint = fingerprintOf(k);
            return fingerprint == null ? k.keyId() + " (not an Ed25519 key)" : fingerprint;
        }).toList());
    }
}
