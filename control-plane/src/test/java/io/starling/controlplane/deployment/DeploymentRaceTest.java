package io.starling.controlplane.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.starling.controlplane.catalog.Catalog;
import io.starling.controlplane.catalog.ReleaseState;
import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.fleet.AgentEvent;
import io.starling.controlplane.testing.Fleet;
import io.starling.controlplane.testing.PublishedArtifact;
import io.starling.controlplane.testing.RowLocks;
import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.DeploymentState;
import io.starling.protocol.agent.DeploymentStatusReport;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Decisions on a row's state made on a copy read before another transaction changed it. Each
 * test holds a transaction open at the moment of the race (it has read the row), lets the other
 * side commit, and then lets the first one decide, as a slow request would.
 */
@QuarkusTest
class DeploymentRaceTest {

    @Inject
    Deployments deployments;

    @Inject
    Catalog catalog;

    @Test
    void aDeploymentRequestedWhileItsReleaseIsRevokedCreatesNoDeployment() {
        PublishedArtifact release = PublishedArtifact.publish("race-revoke", 20_000);
        Fleet.Enrolled agent = Fleet.enroll(null);
        DeploymentRequest request = new DeploymentRequest(release.product(), "1.0", List.of(agent.agentId()), null, null);
        AtomicReference<RuntimeException> refused = new AtomicReference<>();

        try {
            QuarkusTransaction.requiringNew().run(() -> {
                // The request has read the release, still published, when the revoke commits.
                assertThat(Catalog.requireRelease(release.product(), "1.0").state()).isEqualTo(ReleaseState.PUBLISHED);
                CompletableFuture.runAsync(() -> catalog.revoke(release.product(), "1.0")).join();
                try {
                    deployments.create(request, "operator");
                } catch (RuntimeException e) {
                    refused.set(e);
                }
            });
        } catch (RuntimeException rolledBack) {
            // The refusal marked the transaction for rollback; what counts is what was stored.
        }

        assertThat(refused.get()).isInstanceOf(DomainException.Conflict.class)
                .hasMessageContaining("revoked");
        long created = QuarkusTransaction.requiringNew().call(() -> Deployment.count(
                "release.product.name = ?1 and release.version = ?2", release.product(), "1.0"));
        assertThat(created).as("deployments of the revoked release").isZero();
    }

    @Test
    void aRevocationDoesNotCancelADeploymentItsAgentStartedInstallingMeanwhile() {
        PublishedArtifact release = PublishedArtifact.publish("race-install", 20_000);
        Fleet.Enrolled agent = Fleet.enroll(null);
        String id = Fleet.deploy(release.product(), "1.0", agent).get(0);
        for (DeploymentState s : List.of(DeploymentState.DOWNLOADING, DeploymentState.DOWNLOADED)) {
            Fleet.report(agent, id, s, 20_000, 20_000, BytesBySource.NONE).then().statusCode(200);
        }

        CountDownLatch reported = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        // The agent's report is under way: the deployment is installing in its transaction, not yet committed.
        CompletableFuture<Void> report = CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(() -> {
            deployments.report(agent.clientId(), id, DeploymentStatusReport.progress(DeploymentState.INSTALLING,
                    20_000, 20_000, BytesBySource.NONE));
            reported.countDown();
            await(letGo);
        }));
        await(reported);
        // The revocation reads the deployment (downloaded, as committed) and waits for its row.
        CompletableFuture<Void> revocation = CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew().run(
                () -> deployments.onAgent(new AgentEvent(AgentEvent.Kind.REVOKED, UUID.fromString(agent.agentId()),
                        "admin"))));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(RowLocks::someoneWaits);
        letGo.countDown();
        report.join();
        revocation.join();

        Deployment after = QuarkusTransaction.requiringNew().call(() -> Deployment.findById(UUID.fromString(id)));
        assertThat(after.state()).as("installing never becomes cancelled").isEqualTo(DeploymentState.INSTALLING);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aRevocationCancelsEveryDeploymentThatHasNotStartedInstalling() {
        PublishedArtifact release = PublishedArtifact.publish("race-cancel", 20_000);
        Fleet.Enrolled agent = Fleet.enroll(null);
        String id = Fleet.deploy(release.product(), "1.0", agent).get(0);
        Fleet.report(agent, id, DeploymentState.DOWNLOADING, 1_000, 20_000, BytesBySource.NONE).then().statusCode(200);

        QuarkusTransaction.requiringNew().run(() -> deployments.onAgent(
                new AgentEvent(AgentEvent.Kind.REVOKED, UUID.fromString(agent.agentId()), "admin")));

        Deployment after = QuarkusTransaction.requiringNew().call(() -> Deployment.findById(UUID.fromString(id)));
        assertThat(after.state()).isEqualTo(DeploymentState.CANCELLED);
        assertThat(after.detail).isEqualTo("Agent revoked by admin.");
    }
}
