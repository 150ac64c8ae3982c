package io.starling.controlplane.testing;

import static io.starling.controlplane.testing.Api.as;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.starling.protocol.agent.BytesBySource;
import io.starling.protocol.agent.CheckInRequest;
import io.starling.protocol.agent.DeploymentState;
import io.starling.protocol.agent.DeploymentStatusReport;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Enrollment tokens and enrolled agents through the public API. */
public final class Fleet {

    private Fleet() {
    }

    /** What an agent keeps after enrolling. */
    public record Enrolled(String agentId, String clientId, String clientSecret, String passkey, String site,
            List<String> labels, String hostname) {

        /** A bearer token for this agent's client. */
        public String token() {
            return Tokens.agent(clientId);
        }
    }

    /** A token value; {@code site} may be null. */
    public static String newToken(int uses, String site, String... labels) {
        Map<String, Object> body = new HashMap<>();
        body.put("uses", uses);
        if (site != null) {
            body.put("site", site);
        }
        body.put("labels", List.of(labels));
        return as(Tokens.admin()).contentType(ContentType.JSON).body(body).post("/api/v1/enrollment-tokens")
                .then().statusCode(201).extract().path("token");
    }

    /** A machine enrolled with a fresh single-use token carrying the site and labels. */
    public static Enrolled enroll(String site, String... labels) {
        return enrollWith(newToken(1, site, labels), "host-" + UUID.randomUUID().toString().substring(0, 8));
    }

    public static Enrolled enrollWith(String token, String hostname, String... labels) {
        var body = RestAssured.given().contentType(ContentType.JSON)
                .body(Map.of("token", token, "hostname", hostname, "agentVersion", "0.1.0-test", "labels", List.of(labels)))
                .post("/api/agent/v1/enroll").then().statusCode(201).extract().jsonPath();
        return new Enrolled(body.getString("agentId"), body.getString("clientId"), body.getString("clientSecret"),
                body.getString("passkey"), body.getString("site"), body.getList("labels", String.class), hostname);
    }

    public static CheckInRequest inventory() {
        return new CheckInRequest("0.1.0-test", null, "127.0.0.1", 1_000_000_000L, List.of(), List.of());
    }

    public static io.restassured.response.Response checkIn(Enrolled agent) {
        return as(agent.token()).contentType(ContentType.JSON).body(inventory()).post("/api/agent/v1/check-in");
    }

    public static io.restassured.response.Response report(Enrolled agent, String deploymentId, DeploymentState state,
            long done, long total, BytesBySource bytes) {
        return as(agent.token()).contentType(ContentType.JSON)
                .body(DeploymentStatusReport.progress(state, done, total, bytes))
                .post("/api/agent/v1/deployments/{id}/status", deploymentId);
    }

    /** One BEP 3 announce with the agent's passkey; the decoded answer (a refusal has "failure reason"). */
    public static Map<String, Object> announce(String passkey, String infoHashHex, int port) {
        return announce(RestAssured.given(), passkey, infoHashHex, port);
    }

    /** The same, on a request prepared by the caller (headers, say). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> announce(io.restassured.specification.RequestSpecification request, String passkey,
            String infoHashHex, int port) {
        StringBuilder hash = new StringBuilder();
        for (byte b : java.util.HexFormat.of().parseHex(infoHashHex)) {
            hash.append('%').append(String.format("%02X", b & 0xff));
        }
        String peerId = ("-ST0001-" + UUID.randomUUID().toString().replace("-", "")).substring(0, 20);
        byte[] body = request.urlEncodingEnabled(false)
                .get("/announce/" + passkey + "?info_hash=" + hash + "&peer_id=" + peerId + "&port=" + port
                        + "&uploaded=0&downloaded=0&left=1000&event=started")
                .then().statusCode(200).extract().asByteArray();
        return (Map<String, Object>) io.starling.protocol.bencode.Bencode.decode(body);
    }

    /** Deploys a published release to these agents; returns the new deployments' ids in order. */
    public static List<String> deploy(String product, String version, Enrolled... agents) {
        List<String> ids = java.util.Arrays.stream(agents).map(Enrolled::agentId).toList();
        return as(Tokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("product", product, "version", version, "agentIds", ids))
                .post("/api/v1/deployments").then().statusCode(201).extract().path("created.deploymentId");
    }
}
