package io.starling.controlplane.deployment;

import static io.starling.controlplane.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.starling.controlplane.testing.Fleet;
import io.starling.controlplane.testing.PublishedArtifact;
import io.starling.controlplane.testing.Tokens;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Check-ins answer from memory; what changes, here or on another replica, still reaches the agent. */
@QuarkusTest
class PendingDeploymentsTest {

    @Inject
    PendingDeployments pending;

    @Inject
    AgroalDataSource db;

    @Test
    void aDeploymentCreatedAfterAnAgentsCheckInIsInItsNextOne() {
        PublishedArtifact release = PublishedArtifact.publish("after-check-in", 10_000);
        Fleet.Enrolled agent = Fleet.enroll(null);
        assertThat(checkIn(agent).getList("deployments")).isEmpty();

        String id = Fleet.deploy(release.product(), "1.0", agent).get(0);

        JsonPath next = checkIn(agent);
        assertThat(next.getList("deployments")).hasSize(1);
        assertThat(next.getString("deployments[0].id")).isEqualTo(id);
        assertThat(next.getString("deployments[0].state")).isEqualTo("PENDING");
    }

    @Test
    void aDeploymentCancelledAfterAnAgentsCheckInIsCancelledInItsNextOne() {
        PublishedArtifact release = PublishedArtifact.publish("cancel-cached", 10_000);
        Fleet.Enrolled agent = Fleet.enroll(null);
        String id = Fleet.deploy(release.product(), "1.0", agent).get(0);
        assertThat(checkIn(agent).getString("deployments[0].state")).isEqualTo("PENDING");

        as(Tokens.operator()).post("/api/v1/deployments/{id}/cancel", id).then().statusCode(200);

        assertThat(checkIn(agent).getString("deployments[0].state")).isEqualTo("CANCELLED");
    }

    @Test
    void aDeploymentChangedByAnotherReplicaReachesTheAgentAfterTheNextSync() throws Exception {
        PublishedArtifact release = PublishedArtifact.publish("other-replica", 10_000);
        Fleet.Enrolled agent = Fleet.enroll(null);
        String id = Fleet.deploy(release.product(), "1.0", agent).get(0);
        assertThat(checkIn(agent).getString("deployments[0].state")).isEqualTo("PENDING");

        // Another replica cancels it: a committed row this replica's code never saw.
        execute("update deployment set state = 'CANCELLED', row_version = row_version + 1, updated_at = now()"
                + " where id = ?", UUID.fromString(id));
        pending.sync();

        assertThat(checkIn(agent).getString("deployments[0].state")).isEqualTo("CANCELLED");
    }

    @Test
    void aManifestSignedAgainByAnotherReplicaReachesTheAgentAfterTheNextSync() throws Exception {
        PublishedArtifact release = PublishedArtifact.publish("re-signed", 10_000);
        Fleet.Enrolled agent = Fleet.enroll(null);
        Fleet.deploy(release.product(), "1.0", agent);
        String before = checkIn(agent).getString("deployments[0].signature");

        execute("update release set manifest_sig = decode('00', 'hex'), row_version = row_version + 1"
                + " where id = (select release_id from deployment where agent_id = ?)", UUID.fromString(agent.agentId()));
        pending.sync();

        String after = checkIn(agent).getString("deployments[0].signature");
        assertThat(after).isNotEqualTo(before).isEqualTo("AA==");
    }

    private static JsonPath checkIn(Fleet.Enrolled agent) {
        return Fleet.checkIn(agent).then().statusCode(200).extract().jsonPath();
    }

    private void execute(String sql, UUID id) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, id);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }
}
