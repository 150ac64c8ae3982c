package io.starling.controlplane.tracker;

import static io.restassured.RestAssured.given;
import static io.starling.controlplane.testing.Api.as;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.starling.controlplane.testing.Api;
import io.starling.controlplane.testing.Tokens;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SwarmResourceTest {

    @Test
    void aReleasesSwarmShowsPeersBySiteCompletionsAndWebSeedBytes() {
        String product = Api.newProduct("swarmview");
        Api.newRelease(product, "1.0");
        Api.upload(product, "1.0", "app.bin", Api.bytes(50_000));
        Api.publish(product, "1.0");
        byte[] v1 = HexFormat.of().parseHex(as(Tokens.viewer()).get("/api/v1/products/{p}/releases/1.0", product)
                .then().extract().<String>path("artifacts[0].infoHashV1"));
        if (as(Tokens.admin()).get("/api/v1/sites/swarm-lyon").then().extract().statusCode() == 404) {
            // An address range no other test class uses: the test database is shared.
            as(Tokens.admin()).contentType("application/json")
                    .body(Map.of("name", "swarm-lyon", "cidrs", List.of("172.22.0.0/16")))
                    .post("/api/v1/sites").then().statusCode(201);
        }
        String passkey = as(Tokens.admin()).contentType("application/json")
                .body(Map.of("owner", "lyon-desk", "site", "swarm-lyon"))
                .post("/api/v1/passkeys").then().statusCode(201).extract().path("passkey");
        TrackerTest.announce(passkey, TrackerTest.query(v1, "lyon-seed", 50001, 0, "completed"));
        TrackerTest.announce(passkey, TrackerTest.query(v1, "lyon-leech", 50002, 10, "started"));
        given().header("Range", "bytes=0-999").get("/seed/" + passkey + "/" + product + "/1.0/app.bin").then().statusCode(206);

        as(Tokens.viewer()).get("/api/v1/products/{p}/releases/1.0/swarms", product).then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].file", equalTo("app.bin"))
                .body("[0].seeds", equalTo(1))
                .body("[0].leechers", equalTo(1))
                .body("[0].completed", equalTo(1))
                .body("[0].webSeedBytes", equalTo(1000))
                .body("[0].sites[0].site", equalTo("swarm-lyon"))
                .body("[0].sites[0].seeds", equalTo(1));
    }

    @Test
    void anUnknownReleaseHasNoSwarms() {
        as(Tokens.viewer()).get("/api/v1/products/nope/releases/1.0/swarms").then().statusCode(404);
    }
}
