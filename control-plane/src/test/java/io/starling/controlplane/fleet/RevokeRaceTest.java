package io.starling.controlplane.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.starling.controlplane.testing.Fleet;
import io.starling.controlplane.testing.RowLocks;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
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

    @Test
    void twoAdminsRevokingOneAgentAtOnceRevokeItOnceAndTheFirstIsRecorded() {
        Fleet.Enrolled enrolled = Fleet.enroll(null);
        UUID id = UUID.fromString(enrolled.agentId());

        CountDownLatch letGo = AgentEventProbe.holdNext();
        CompletableFuture<AgentView> first = CompletableFuture.supplyAsync(() -> agents.revoke(id.toString(), "alice"));
        // alice's revoke holds the agent's row lock, its event fired, not yet committed.
        await().atMost(Duration.ofSeconds(20)).until(() -> AgentEventProbe.seen(id).size() == 1);
        CompletableFuture<AgentView> second = CompletableFuture.supplyAsync(() -> agents.revoke(id.toString(), "bob"));
        await().atMost(Duration.ofSeconds(20)).until(RowLocks::someoneWaits);
        letGo.countDown();

        assertThat(first.join().state()).isEqualTo(AgentState.REVOKED);
        assertThat(second.join().state()).isEqualTo(AgentState.REVOKED);
        assertThat(AgentEventProbe.seen(id)).as("revocation events").hasSize(1);
        Agent after = QuarkusTransaction.requiringNew().call(() -> Agent.<Agent>findById(id));
        assertThat(after.revokedBy).isEqualTo("alice");
    }
}
