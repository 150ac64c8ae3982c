package io.starling.controlplane.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.starling.controlplane.testing.Fleet;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@QuarkusTest
class RevokeRaceTest {

    @Inject
    Agents agents;

    @Test
    void aCheckInThatWasUnderWayWhenAnAdminRevokedTheAgentDoesNotUndoTheRevocation() {
        Fleet.Enrolled enrolled = Fleet.enroll(null);
        UUID id = UUID.fromString(enrolled.agentId());

        // A check-in has read the agent (ACTIVE) and is writing its inventory back when the
        // revoke commits in another transaction.
        QuarkusTransaction.requiringNew().run(() -> {
            Agent a = Agent.findById(id);
            assertThat(a.active()).isTrue();
            a.lastCheckIn = Instant.now();
            a.freeDiskBytes = 42L;
            CompletableFuture.runAsync(() -> agents.revoke(id.toString(), "admin")).join();
        });

        Agent after = QuarkusTransaction.requiringNew().call(() -> Agent.<Agent>findById(id));
        assertThat(after.state()).isEqualTo(AgentState.REVOKED);
        assertThat(after.freeDiskBytes).isEqualTo(42L);
    }
}
