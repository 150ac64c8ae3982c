package io.starling.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.starling.agent.state.AssignmentStore;
import io.starling.agent.verify.ReleaseVerifier;
import io.starling.protocol.agent.AssignmentReport;
import io.starling.protocol.agent.SignedAssignment;
import io.starling.protocol.agent.TrustedKey;
import io.starling.protocol.assignment.AssignedDeployment;
import io.starling.protocol.assignment.Assignment;
import io.starling.protocol.assignment.AssignmentSigner;
import io.starling.protocol.manifest.Ed25519Keys;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's judgement of assignments, with its monotonic clock in the test's hands. */
class AssignmentGateTest {

    private static final Instant ISSUED = Instant.parse("2026-12-06T08:00:00Z");
    private static final AssignedDeployment EDITOR_2 = new AssignedDeployment(
            "0b5e2a70-0000-4000-8000-000000000001", "editor", "2.0", 2, "ab".repeat(32), false, false);

    @TempDir
    Path state;

    private final AtomicLong nanos = new AtomicLong();
    private final AssignmentSigner signer = new AssignmentSigner(TestAgent.KEYS.getPrivate(),
            Ed25519Keys.keyId(TestAgent.KEYS.getPublic()));
    private final ReleaseVerifier verifier = new ReleaseVerifier(List.of(new TrustedKey(
            Ed25519Keys.keyId(TestAgent.KEYS.getPublic()), Ed25519Keys.toPem(TestAgent.KEYS.getPublic()))));
    // The workstation's wall clock is 40 days off: it must not matter.
    private final Clock wallClock = Clock.fixed(ISSUED.plus(Duration.ofDays(40)), ZoneOffset.UTC);

    private AssignmentGate gate() throws Exception {
        return new AssignmentGate(verifier, TestAgent.AGENT_ID, new AssignmentStore(state), wallClock, nanos::get);
    }

    private SignedAssignment statement(long sequence, Instant issued, AssignedDeployment... deployments) {
        return signer.sign(new Assignment(Assignment.FORMAT, TestAgent.AGENT_ID, sequence, issued,
                issued.plus(Duration.ofHours(1)), null, List.of(deployments)));
    }

    @Test
    void aWorkstationClockFarOffDoesNotMatterButTimePassingOnItDoes() throws Exception {
        AssignmentGate gate = gate();
        SignedAssignment first = statement(1, ISSUED, EDITOR_2);
        assertThat(gate.accept(first)).isPresent();

        nanos.addAndGet(Duration.ofMinutes(59).toNanos());
        assertThat(gate.accept(first)).as("the same answer again, still within its hour").isPresent();
        gate.checkFreeze();
        assertThat(gate.status().frozen()).isFalse();

        nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        assertThat(gate.accept(first)).as("replayed past its expiry").isEmpty();
        assertThat(gate.status().frozen()).isTrue();
        assertThat(gate.status().problem()).startsWith("EXPIRED");

        assertThat(gate.accept(statement(2, ISSUED.plus(Duration.ofMinutes(60)), EDITOR_2))).isPresent();
        assertThat(gate.status().frozen()).isFalse();
    }

    @Test
    void aRestartedAgentStillRefusesAnAnswerOlderThanTheOneItAccepted() throws Exception {
        SignedAssignment older = statement(1, ISSUED, EDITOR_2);
        assertThat(gate().accept(statement(2, ISSUED.plusSeconds(60)))).isPresent();

        AssignmentGate restarted = gate();

        assertThat(restarted.accept(older)).isEmpty();
        assertThat(restarted.status().problem()).startsWith("REPLAYED");
        assertThat(restarted.status().sequence()).isEqualTo(2);
    }

    @Test
    void withoutAnyAssignmentAnAgentCallsItselfFrozenAfterAnHour() throws Exception {
        AssignmentGate gate = gate();
        assertThat(gate.accept(null)).isEmpty();
        gate.checkFreeze();
        assertThat(gate.status().frozen()).isFalse();

        nanos.addAndGet(AssignmentGate.FIRST_ASSIGNMENT_WAIT.toNanos());
        gate.checkFreeze();
        assertThat(gate.status().frozen()).isTrue();
        assertThat(gate.status().problem()).startsWith("MISSING");
    }

    @Test
    void theNextCheckInTellsTheControlPlaneSinceWhenTheAgentIsFrozenAndWhy() throws Exception {
        AssignmentGate gate = gate();
        SignedAssignment first = statement(1, ISSUED, EDITOR_2);
        gate.accept(first);
        assertThat(gate.report(null)).isEqualTo(new AssignmentReport(1L, ISSUED.plus(Duration.ofHours(1)), null, null, null));

        // Answers withheld past the expiry: the report, built just before the next check-in, says so.
        nanos.addAndGet(Duration.ofMinutes(61).toNanos());
        AssignmentReport frozen = gate.report("POST /api/agent/v1/check-in: 503 withheld");
        assertThat(frozen.frozen()).isTrue();
        assertThat(frozen.frozenSince()).as("when the assignment expired").isEqualTo(ISSUED.plus(Duration.ofHours(1)));
        assertThat(frozen.lastFailure()).isEqualTo("POST /api/agent/v1/check-in: 503 withheld");

        // A replayed answer gets through: refused, and that is said too.
        gate.accept(first);
        assertThat(gate.report(null).problem()).startsWith("EXPIRED: ");
        assertThat(gate.report(null).frozenSince()).isEqualTo(frozen.frozenSince());

        gate.accept(statement(2, ISSUED.plus(Duration.ofMinutes(61)), EDITOR_2));
        assertThat(gate.report(null)).isEqualTo(new AssignmentReport(2L, ISSUED.plus(Duration.ofMinutes(121)), null, null,
                null));
    }
}
