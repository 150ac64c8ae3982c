package io.starling.controlplane.fleet;

import static io.starling.controlplane.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.starling.controlplane.testing.Fleet;
import io.starling.protocol.agent.CheckInRequest;
import io.starling.protocol.agent.InstalledRelease;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What agents say at check-in is written behind, in batches; revocations elsewhere still reach check-ins. */
@QuarkusTest
class CheckInFactsTest {

    @Inject
    CheckInFacts facts;

    @Inject
    AgentDirectory directory;

    @Inject
    AgroalDataSource db;

    @Test
    void theLatestCheckInOfEachAgentReachesTheDatabaseAtTheNextFlush() throws Exception {
        Fleet.Enrolled agent = Fleet.enroll(null);
        checkIn(agent, 111L);
        checkIn(agent, 222L);

        facts.flush();

        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select free_disk_bytes, last_check_in, last_address, installed_json, agent_version from agent where id = ?")) {
            s.setObject(1, UUID.fromString(agent.agentId()));
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(222L);
                assertThat(rs.getTimestamp(2)).isNotNull();
                assertThat(rs.getString(3)).isEqualTo("127.0.0.1");
                assertThat(rs.getString(4)).contains("office-suite");
                assertThat(rs.getString(5)).isEqualTo("0.3.0");
            }
        }
    }

    @Test
    void anAgentRevokedByAnotherReplicaIsRefusedAfterTheNextSync() throws Exception {
        Fleet.Enrolled agent = Fleet.enroll(null);
        Fleet.checkIn(agent).then().statusCode(200);

        // Another replica revokes it: this replica's directory never saw the call.
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "update agent set state = 'REVOKED', revoked_at = now(), revoked_by = 'elsewhere' where id = ?")) {
            s.setObject(1, UUID.fromString(agent.agentId()));
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
        directory.sync();

        Fleet.checkIn(agent).then().statusCode(401);
    }

    @Test
    void anAgentRevokedHereIsRefusedAtItsVeryNextCheckIn() {
        Fleet.Enrolled agent = Fleet.enroll(null);
        Fleet.checkIn(agent).then().statusCode(200);

        as(io.starling.controlplane.testing.Tokens.admin()).post("/api/v1/agents/{id}/revoke", agent.agentId())
                .then().statusCode(200);

        Fleet.checkIn(agent).then().statusCode(401);
    }

    private static void checkIn(Fleet.Enrolled agent, long freeDisk) {
        as(agent.token()).contentType(ContentType.JSON)
                .body(new CheckInRequest("0.3.0", null, null, freeDisk,
                        List.of(new InstalledRelease("office-suite", "2.4.0", 2, true)), List.of()))
                .post("/api/agent/v1/check-in").then().statusCode(200);
    }
}
