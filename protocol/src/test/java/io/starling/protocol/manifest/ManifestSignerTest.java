package io.starling.protocol.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.protocol.testing.ManifestBuilder;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.Test;

class ManifestSignerTest {

    private final KeyPair keys = Ed25519Keys.generate();
    private final ManifestSigner signer = new ManifestSigner(keys);

    @Test
    void signsTheCanonicalBytesOfTheManifestStampedWithItsKeyId() {
        Manifest manifest = ManifestBuilder.manifest().build();

        SignedManifest signed = signer.sign(manifest);

        assertThat(signer.keyId()).isEqualTo(Ed25519Keys.keyId(keys.getPublic()));
        assertThat(signed.bytes()).isEqualTo(CanonicalJson.write(manifest.withKeyId(signer.keyId())));
        assertThat(signed.signature()).hasSize(64);
    }

    @Test
    void signingTheSameManifestTwiceGivesTheSameSignature() {
        // Ed25519 is deterministic: re-publishing a release cannot produce a second, different artefact.
        Manifest manifest = ManifestBuilder.manifest().build();
        assertThat(signer.sign(manifest)).isEqualTo(signer.sign(manifest));
    }

    @Test
    void aManifestNamingAnotherKeyIsNotSigned() {
        Manifest manifest = ManifestBuilder.manifest().keyId("ffffffffffffffff").build();
        assertThatThrownBy(() -> signer.sign(manifest)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ffffffffffffffff");
    }

    @Test
    void onlyEd25519KeysSign() throws Exception {
        KeyPair ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();
        assertThatThrownBy(() -> new ManifestSigner(ed448.getPrivate(), "0123456789abcdef"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
