package io.starling.controlplane.seed;

import static io.restassured.RestAssured.given;
import static io.starling.controlplane.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.starling.controlplane.testing.Api;
import io.starling.controlplane.testing.Tokens;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
class WebSeedTest {

    private static final int SIZE = 1_000_000;
    private static final byte[] DATA = Api.bytes(SIZE);

    private String product;
    private String passkey;

    @BeforeEach
    void publish() {
        product = Api.newProduct("webseed");
        Api.newRelease(product, "1.0");
        Api.upload(product, "1.0", "app.bin", DATA);
        Api.publish(product, "1.0");
        passkey = as(Tokens.admin()).contentType("application/json").body(Map.of("owner", "seed-test"))
                .post("/api/v1/passkeys").then().statusCode(201).extract().path("passkey");
    }

    private String url() {
        return "/seed/" + passkey + "/" + product + "/1.0/app.bin";
    }

    @Test
    void theWholeFileWithoutRange() {
        byte[] body = given().get(url()).then().statusCode(200)
                .header("Accept-Ranges", "bytes").header("Content-Length", String.valueOf(SIZE))
                .extract().asByteArray();
        assertThat(body).isEqualTo(DATA);
    }

    @Test
    void theFirstByte() {
        byte[] body = given().header("Range", "bytes=0-0").get(url()).then().statusCode(206)
                .header("Content-Range", "bytes 0-0/" + SIZE).extract().asByteArray();
        assertThat(body).containsExactly(DATA[0]);
    }

    @Test
    void aRangeInTheMiddle() {
        byte[] body = given().header("Range", "bytes=262144-524287").get(url()).then().statusCode(206)
                .header("Content-Range", "bytes 262144-524287/" + SIZE).extract().asByteArray();
        assertThat(body).isEqualTo(Arrays.copyOfRange(DATA, 262144, 524288));
    }

    @Test
    void aSuffixRange() {
        byte[] body = given().header("Range", "bytes=-100").get(url()).then().statusCode(206)
                .header("Content-Range", "bytes " + (SIZE - 100) + "-" + (SIZE - 1) + "/" + SIZE).extract().asByteArray();
        assertThat(body).isEqualTo(Arrays.copyOfRange(DATA, SIZE - 100, SIZE));
    }

    @Test
    void anUnsatisfiableRange() {
        given().header("Range", "bytes=" + SIZE + "-").get(url()).then().statusCode(416)
                .header("Content-Range", "bytes */" + SIZE);
    }

    @Test
    void ifRangeWithTheCurrentEtagHonoursTheRangeAndAStaleOneGetsTheWholeFile() {
        String etag = given().head(url()).then().statusCode(200).extract().header("ETag");
        given().header("Range", "bytes=0-9").header("If-Range", etag).get(url()).then().statusCode(206);
        byte[] whole = given().header("Range", "bytes=0-9").header("If-Range", "\"stale\"").get(url())
                .then().statusCode(200).extract().asByteArray();
        assertThat(whole).hasSize(SIZE);
    }

    @Test
    void anUnknownOrRevokedPasskeyGetsNoBytes() {
        given().get("/seed/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/" + product + "/1.0/app.bin").then().statusCode(403)
                .contentType(startsWith("application/problem+json"));
        as(Tokens.admin()).post("/api/v1/passkeys/{k}/revoke", passkey).then().statusCode(200);
        given().get(url()).then().statusCode(403).body("detail", equalTo("This passkey has been revoked."));
    }

    @Test
    void aRevokedReleaseIsNoLongerSeeded() {
        as(Tokens.admin()).post("/api/v1/products/{p}/releases/1.0/revoke", product).then().statusCode(200);
        given().get(url()).then().statusCode(404);
    }
}
