package io.starling.agent.verify;

import static io.starling.protocol.testing.ManifestBuilder.CREATED;
import static io.starling.protocol.testing.ManifestBuilder.manifest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.agent.state.AgentIdentity;
import io.starling.agent.state.InstalledReleases;
import io.starling.agent.state.KeySetStore;
import io.starling.protocol.agent.TrustedKey;
import io.starling.protocol.keys.KeySet;
import io.starling.protocol.keys.KeySetSigner;
import io.starling.protocol.keys.OnlineKey;
import io.starling.protocol.keys.SignedKeySet;
import io.starling.protocol.manifest.Ed25519Keys;
import io.starling.protocol.manifest.Manifest;
import io.starling.protocol.manifest.ManifestRejectedException;
import io.starling.protocol.manifest.ManifestRejectedException.Reason;
import io.starling.protocol.manifest.ManifestSigner;
import io.starling.protocol.manifest.SignedManifest;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustedKeysTest {

    private static final Instant NOW = CREATED.plusSeconds(3600);
    private static final KeyPair ROOT = Ed25519Keys.generate();
    private static final KeyPair OLD = Ed25519Keys.generate();
    private static final KeyPair NEW = Ed25519Keys.generate();

    @TempDir
    Path state;

    private static TrustedKey trusted(KeyPair keys) {
        return new TrustedKey(Ed25519Keys.keyId(keys.getPublic()), Ed25519Keys.toPem(keys.getPublic()));
    }

    private static OnlineKey online(KeyPair keys) {
        return new OnlineKey(Ed25519Keys.keyId(keys.getPublic()), Ed25519Keys.toPem(keys.getPublic()));
    }

    private static String id(KeyPair keys) {
        return Ed25519Keys.keyId(keys.getPublic());
    }

    static SignedKeySet keySet(KeyPair root, long version, List<KeyPair> keys, List<KeyPair> revoked, Map<String, Long> resets) {
        return new KeySetSigner(root).sign(new KeySet(KeySet.FORMAT, version, null, CREATED, CREATED.plus(Duration.ofDays(1)),
                keys.stream().map(TrustedKeysTest::online).toList(), revoked.stream().map(TrustedKeysTest::id).toList(),
                resets));
    }

    private TrustedKeys enrolledWithRoot(SignedKeySet atEnrollment) throws Exception {
        AgentIdentity identity = new AgentIdentity("https://cp", "agent-1", "client", "secret", null, "passkey",
                List.of(trusted(OLD)), null, List.of(), trusted(ROOT), atEnrollment);
        return TrustedKeys.load(identity, new KeySetStore(state));
    }

    /** What a check-in carries: base64 manifest and signature. */
    private static String[] signed(KeyPair key, long sequence) {
        SignedManifest s = new ManifestSigner(key).sign(manifest().sequence(sequence).build());
        return new String[] {Base64.getEncoder().encodeToString(s.bytes()), Base64.getEncoder().encodeToString(s.signature())};
    }

    private static void assertRefused(TrustedKeys keys, KeyPair signer, Reason reason, String message) {
        String[] m = signed(signer, 5);
        assertThatThrownBy(() -> keys.verify(m[0], m[1], NOW, -1)).isInstanceOfSatisfying(ManifestRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(reason)).hasMessageContaining(message);
    }

    private static void assertAccepted(TrustedKeys keys, KeyPair signer) {
        String[] m = signed(signer, 5);
        assertThat(keys.verify(m[0], m[1], NOW, -1).sequence()).isEqualTo(5);
    }

    @Test
    void withoutARootOnlyTheEnrolledKeysCountAndKeySetsAreIgnored() throws Exception {
        TrustedKeys keys = TrustedKeys.pinned(List.of(trusted(OLD)));
        assertThat(keys.offer(keySet(ROOT, 1, List.of(NEW), List.of(), null), NOW)).isEmpty();
        assertAccepted(keys, OLD);
        assertRefused(keys, NEW, Reason.UNKNOWN_KEY, "not trusted");
    }

    @Test
    void aNewerSetSignedByThePinnedRootBringsANewKeyWithoutEnrollingAgain() throws Exception {
        TrustedKeys keys = enrolledWithRoot(keySet(ROOT, 1, List.of(OLD), List.of(), null));
        assertRefused(keys, NEW, Reason.UNKNOWN_KEY, "not trusted");

        assertThat(keys.offer(keySet(ROOT, 2, List.of(OLD, NEW), List.of(), null), NOW)).isPresent();
        assertAccepted(keys, NEW);
        assertAccepted(keys, OLD);
    }

    @Test
    void aManifestSignedByARevokedKeyIsRefusedAndSaysSo() throws Exception {
        TrustedKeys keys = enrolledWithRoot(keySet(ROOT, 1, List.of(OLD), List.of(), null));
        keys.offer(keySet(ROOT, 2, List.of(NEW), List.of(OLD), null), NOW);

        assertRefused(keys, OLD, Reason.UNKNOWN_KEY, "which key set 2 revokes");
        assertAccepted(keys, NEW);
    }

    @Test
    void anOlderSetReplayedCannotBringARevokedKeyBackNotEvenAfterARestart() throws Exception {
        SignedKeySet first = keySet(ROOT, 1, List.of(OLD), List.of(), null);
        TrustedKeys keys = enrolledWithRoot(first);
        keys.offer(keySet(ROOT, 2, List.of(NEW), List.of(OLD), null), NOW);

        assertThat(keys.offer(first, NOW)).isEmpty();
        assertRefused(keys, OLD, Reason.UNKNOWN_KEY, "revokes");

        TrustedKeys restarted = enrolledWithRoot(first);
        assertThat(restarted.keySet().orElseThrow().version()).isEqualTo(2);
        assertRefused(restarted, OLD, Reason.UNKNOWN_KEY, "revokes");
        assertAccepted(restarted, NEW);
    }

    @Test
    void aSetSignedByAnotherRootIsNotTaken() throws Exception {
        TrustedKeys keys = enrolledWithRoot(keySet(ROOT, 1, List.of(OLD), List.of(), null));
        KeyPair intruder = Ed25519Keys.generate();
        assertThat(keys.offer(keySet(intruder, 9, List.of(NEW), List.of(), null), NOW)).isEmpty();
        assertRefused(keys, NEW, Reason.UNKNOWN_KEY, "not trusted");
    }

    @Test
    void onceTheHeldSetHasExpiredNoManifestIsAccepted() throws Exception {
        TrustedKeys keys = enrolledWithRoot(keySet(ROOT, 1, List.of(OLD), List.of(), null));
        String[] m = signed(OLD, 5);
        assertThatThrownBy(() -> keys.verify(m[0], m[1], CREATED.plus(Duration.ofDays(2)), -1))
                .isInstanceOfSatisfying(ManifestRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY))
                .hasMessageContaining("expired");
    }

    @Test
    void aRootPinnedButNoSetYetFallsBackToTheEnrolledKeys() throws Exception {
        TrustedKeys keys = enrolledWithRoot(null);
        assertAccepted(keys, OLD);
        assertThat(keys.offer(keySet(ROOT, 1, List.of(NEW), List.of(), Map.of("editor", 3L)), NOW).orElseThrow().resets())
                .containsEntry("editor", 3L);
        assertRefused(keys, OLD, Reason.UNKNOWN_KEY, "not trusted");
    }

    @Test
    void aStolenKeysSequenceFarAheadNoLongerRefusesGenuineReleasesOnceItsKeyIsRevoked() throws Exception {
        KeyPair stolen = Ed25519Keys.generate();
        TrustedKeys keys = enrolledWithRoot(keySet(ROOT, 1, List.of(OLD, stolen), List.of(), null));
        InstalledReleases installed = InstalledReleases.open(state);
        installed.markInstalled("editor", "1.0", 4, id(OLD), NOW);
        String[] forged = signed(stolen, 1000);
        Manifest attack = keys.verify(forged[0], forged[1], NOW, installed.lastSequence("editor"));
        installed.markInstalled("editor", attack.version() + "-forged", attack.sequence(), attack.keyId(), NOW);
        String[] genuine = signed(OLD, 5);
        assertThatThrownBy(() -> keys.verify(genuine[0], genuine[1], NOW, installed.lastSequence("editor")))
                .isInstanceOfSatisfying(ManifestRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ROLLBACK));

        KeySet revoking = keys.offer(keySet(ROOT, 2, List.of(OLD), List.of(stolen), null), NOW).orElseThrow();
        installed.forgetSigners(revoking.revoked());

        assertThat(keys.verify(genuine[0], genuine[1], NOW, installed.lastSequence("editor")).sequence()).isEqualTo(5);
        String[] again = signed(stolen, 2000);
        assertThatThrownBy(() -> keys.verify(again[0], again[1], NOW, installed.lastSequence("editor")))
                .isInstanceOfSatisfying(ManifestRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY));
    }
}
