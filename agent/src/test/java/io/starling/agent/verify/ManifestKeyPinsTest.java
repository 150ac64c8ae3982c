package io.starling.agent.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.protocol.agent.TrustedKey;
import io.starling.protocol.manifest.Ed25519Keys;
import java.security.PublicKey;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ManifestKeyPinsTest {

    private final PublicKey signing = Ed25519Keys.generate().getPublic();
    private final PublicKey other = Ed25519Keys.generate().getPublic();

    private static TrustedKey trusted(PublicKey key) {
        return new TrustedKey(Ed25519Keys.keyId(key), Ed25519Keys.toPem(key));
    }

    @Test
    void withoutPinsEveryOfferedKeyIsKeptAsBefore() {
        ManifestKeyPins.Outcome outcome = ManifestKeyPins.parse(List.of()).select(List.of(trusted(signing), trusted(other)));

        assertThat(outcome.kept()).containsExactly(trusted(signing), trusted(other));
        assertThat(outcome.dropped()).isEmpty();
    }

    @Test
    void aPinnedKeyIsKeptAndAKeyNoPinNamesIsDropped() {
        ManifestKeyPins pins = ManifestKeyPins.parse(List.of(Ed25519Keys.fingerprint(signing)));

        ManifestKeyPins.Outcome outcome = pins.select(List.of(trusted(other), trusted(signing)));

        assertThat(outcome.kept()).containsExactly(trusted(signing));
        assertThat(outcome.dropped()).containsExactly(trusted(other));
    }

    @Test
    void upperCaseAndColonSeparatedFingerprintsAreTheSamePin() {
        String hex = Ed25519Keys.fingerprint(signing).toUpperCase(Locale.ROOT);
        String colons = String.join(":", hex.split("(?<=\\G..)"));

        assertThat(ManifestKeyPins.parse(List.of(colons)).select(List.of(trusted(signing))).kept()).hasSize(1);
    }

    @Test
    void aPinThatMatchesNoOfferedKeyFailsNamingWhatWasOffered() {
        ManifestKeyPins pins = ManifestKeyPins.parse(List.of(Ed25519Keys.fingerprint(signing)));

        assertThatThrownBy(() -> pins.select(List.of(trusted(other))))
                .isInstanceOf(KeyPinException.class)
                .hasMessageContaining("no manifest key with fingerprint " + Ed25519Keys.fingerprint(signing))
                .hasMessageContaining(Ed25519Keys.fingerprint(other));
    }

    @Test
    void theRightKeyUnderAnotherKeysIdDoesNotCountAsPinned() {
        ManifestKeyPins pins = ManifestKeyPins.parse(List.of(Ed25519Keys.fingerprint(signing)));
        TrustedKey mislabelled = new TrustedKey(Ed25519Keys.keyId(other), Ed25519Keys.toPem(signing));

        assertThatThrownBy(() -> pins.select(List.of(mislabelled))).isInstanceOf(KeyPinException.class);
    }

    @Test
    void aKeyIdIsRefusedAsTooShortToPin() {
        assertThatThrownBy(() -> ManifestKeyPins.parse(List.of(Ed25519Keys.keyId(signing))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a key id").hasMessageContaining("64 hex digits");
    }

    @Test
    void somethingElseIsRefusedWithHowToComputeAFingerprint() {
        assertThatThrownBy(() -> ManifestKeyPins.parse(List.of("not-a-fingerprint")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--manifest-key-fingerprint not-a-fingerprint is not a SHA-256 fingerprint")
                .hasMessageContaining("sha256sum");
    }
}
