package io.starling.protocol.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.starling.protocol.agent.SignedAssignment;
import io.starling.protocol.assignment.AssignmentRejectedException.Reason;
import io.starling.protocol.manifest.CanonicalJson;
import io.starling.protocol.manifest.Ed25519Keys;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class AssignmentVerifierTest {

    private static final Instant ISSUED = Instant.parse("2026-12-06T08:00:00Z");
    private static final String AGENT = "5f0c6d7e-1111-4222-8333-944455556666";

    private final KeyPair keys = Ed25519Keys.generate();
    private final String keyId = Ed25519Keys.keyId(keys.getPublic());
    private final AssignmentSigner signer = new AssignmentSigner(keys.getPrivate(), keyId);
    private final AssignmentVerifier verifier = new AssignmentVerifier(Map.of(keyId, keys.getPublic()));

    private static final AssignedDeployment EDITOR_2 = new AssignedDeployment(
            "0b5e2a70-0000-4000-8000-000000000001", "editor", "2.0", 2, "ab".repeat(32), false, false);

    private static Assignment statement(String agent, long sequence, Instant issued, AssignedDeployment... deployments) {
        return new Assignment(Assignment.FORMAT, agent, sequence, issued, issued.plus(Duration.ofHours(1)), null,
                List.of(deployments));
    }

    private Assignment verify(SignedAssignment signed, Instant now, Assignment last) {
        return verifier.verify(signed, AGENT, now, last);
    }

    @Test
    void aFreshStatementForThisAgentIsAcceptedAsSigned() {
        SignedAssignment signed = signer.sign(statement(AGENT, 10, ISSUED, EDITOR_2));

        Assignment a = verify(signed, ISSUED.plusSeconds(60), null);

        assertThat(a.deployments()).containsExactly(EDITOR_2);
        assertThat(a.keyId()).isEqualTo(keyId);
        assertThat(Base64.getDecoder().decode(signed.statement())).isEqualTo(CanonicalJson.write(a));
    }

    @Test
    void oneChangedByteBreaksTheSignature() {
        SignedAssignment signed = signer.sign(statement(AGENT, 10, ISSUED, EDITOR_2));
        String forged = new String(Base64.getDecoder().decode(signed.statement())).replace("\"2.0\"", "\"1.0\"");

        refused(() -> verify(new SignedAssignment(Base64.getEncoder().encodeToString(forged.getBytes()), signed.signature()),
                ISSUED, null), Reason.BAD_SIGNATURE);
    }

    @Test
    void aStatementSignedByAnUntrustedKeyIsRefused() {
        KeyPair other = Ed25519Keys.generate();
        SignedAssignment signed = new AssignmentSigner(other.getPrivate(), Ed25519Keys.keyId(other.getPublic()))
                .sign(statement(AGENT, 10, ISSUED, EDITOR_2));

        refused(() -> verify(signed, ISSUED, null), Reason.BAD_SIGNATURE);
    }

    @Test
    void anotherAgentsStatementIsRefused() {
        SignedAssignment signed = signer.sign(statement("another-agent", 10, ISSUED, EDITOR_2));

        refused(() -> verify(signed, ISSUED, null), Reason.OTHER_AGENT);
    }

    @Test
    void anExpiredStatementIsRefusedWithoutGrace() {
        SignedAssignment signed = signer.sign(statement(AGENT, 10, ISSUED, EDITOR_2));

        assertThat(verify(signed, ISSUED.plus(Duration.ofHours(1)).minusSeconds(1), null)).isNotNull();
        refused(() -> verify(signed, ISSUED.plus(Duration.ofHours(1)), null), Reason.EXPIRED);
    }

    @Test
    void withoutAKnownTimeOnlyTheStatementsOwnTimesCount() {
        // A workstation clock may be hours off: the agent knows the time only from statements it accepted.
        assertThat(verify(signer.sign(statement(AGENT, 10, ISSUED, EDITOR_2)), null, null)).isNotNull();
        Assignment inverted = new Assignment(Assignment.FORMAT, AGENT, 11, ISSUED, ISSUED, null, List.of());
        refused(() -> verify(signer.sign(inverted), null, null), Reason.EXPIRED);
    }

    @Test
    void aStatementIssuedLaterThanTheKnownTimeIsAccepted() {
        assertThat(verify(signer.sign(statement(AGENT, 10, ISSUED, EDITOR_2)), ISSUED.minus(Duration.ofDays(40)), null))
                .isNotNull();
    }

    @Test
    void anOlderStatementSayingSomethingElseIsAReplay() {
        Assignment newer = verify(signer.sign(statement(AGENT, 20, ISSUED.plusSeconds(60))), ISSUED.plusSeconds(60), null);
        SignedAssignment older = signer.sign(statement(AGENT, 10, ISSUED, EDITOR_2));

        refused(() -> verify(older, ISSUED.plusSeconds(120), newer), Reason.REPLAYED);
    }

    @Test
    void anOlderStatementSayingTheSameIsAccepted() {
        // Two replicas signed the same unchanged assignment at different times.
        Assignment newer = verify(signer.sign(statement(AGENT, 20, ISSUED.plusSeconds(60), EDITOR_2)), ISSUED.plusSeconds(60),
                null);
        SignedAssignment older = signer.sign(statement(AGENT, 10, ISSUED, EDITOR_2));

        assertThat(verify(older, ISSUED.plusSeconds(120), newer).sequence()).isEqualTo(10);
    }

    @Test
    void anAnswerWithoutAStatementOrWithGarbageIsRefused() {
        refused(() -> verify(null, ISSUED, null), Reason.MISSING);
        refused(() -> verify(new SignedAssignment("%%%", "%%%"), ISSUED, null), Reason.MALFORMED);
        byte[] notJson = "not json".getBytes();
        String signature = Base64.getEncoder().encodeToString(Ed25519Keys.sign(keys.getPrivate(), notJson));
        refused(() -> verify(new SignedAssignment(Base64.getEncoder().encodeToString(notJson), signature), ISSUED, null),
                Reason.MALFORMED);
    }

    private static void refused(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AssignmentRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
