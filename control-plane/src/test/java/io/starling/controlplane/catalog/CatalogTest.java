package io.starling.controlplane.catalog;

import static io.starling.controlplane.testing.Api.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.starling.controlplane.testing.Api;
import io.starling.controlplane.testing.Tokens;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class CatalogTest {

    @Test
    void aPublisherCreatesAProductAndSeesItListed() {
        as(Tokens.publisher()).contentType(ContentType.JSON).body(Map.of("name", "browser-x", "description", "A browser"))
                .post("/api/v1/products")
                .then().statusCode(201)
                .header("Location", containsString("/api/v1/products/browser-x"))
                .body("name", equalTo("browser-x"))
                .body("createdBy", equalTo("publisher"));
        as(Tokens.viewer()).get("/api/v1/products").then().statusCode(200).body("name", hasItem("browser-x"));
    }

    @Test
    void aDuplicateProductIsAConflict() {
        String name = Api.newProduct("dup");
        as(Tokens.admin()).contentType(ContentType.JSON).body(Map.of("name", name)).post("/api/v1/products")
                .then().statusCode(409).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://starling.io/problems/conflict"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "a/b", "UPPER", "-dash-first", "new\nline", "x..y",
            "waytoolongwaytoolongwaytoolongwaytoolongwaytoolongwaytoolongwaytoolong"})
    void badProductNamesAreRefusedWithAClearProblem(String name) {
        as(Tokens.admin()).contentType(ContentType.JSON).body(Map.of("name", name)).post("/api/v1/products")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("name"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "1.0/../../etc", "1..0", " 1.0", "1.0\u0000"})
    void badVersionsAreRefused(String version) {
        String product = Api.newProduct("ver");
        as(Tokens.admin()).contentType(ContentType.JSON).body(Map.of("version", version))
                .post("/api/v1/products/{p}/releases", product)
                .then().statusCode(400).contentType(startsWith("application/problem+json"));
    }

    @Test
    void aBodyThatIsNotJsonIsA400NotA500() {
        as(Tokens.admin()).contentType(ContentType.JSON).body("{not json").post("/api/v1/products")
                .then().statusCode(400).contentType(startsWith("application/problem+json"));
    }

    @Test
    void anUnknownProductIs404WithAProblem() {
        as(Tokens.viewer()).get("/api/v1/products/no-such-product").then().statusCode(404)
                .contentType(startsWith("application/problem+json"))
                .body("detail", containsString("no-such-product"));
    }

    @Test
    void aNewReleaseIsADraftWithItsInstallSection() {
        String product = Api.newProduct("draft");
        as(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("version", "2.4.1", "notes", "Fixes printing",
                        "install", Map.of("archive", "app.tar.gz", "command", java.util.List.of("./install.sh"),
                                "timeoutSeconds", 600)))
                .post("/api/v1/products/{p}/releases", product)
                .then().statusCode(201)
                .body("state", equalTo("DRAFT"))
                .body("install.archive", equalTo("app.tar.gz"))
                .body("install.timeoutSeconds", equalTo(600));
        as(Tokens.viewer()).get("/api/v1/products/{p}/releases/2.4.1", product).then().statusCode(200)
                .body("version", equalTo("2.4.1"));
    }

    @Test
    void anInstallSectionThatCannotWorkIsRefusedUpFront() {
        String product = Api.newProduct("inst");
        as(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("version", "1.0", "install", Map.of("archive", "app.exe")))
                .post("/api/v1/products/{p}/releases", product)
                .then().statusCode(400).body("detail", containsString("archive"));
        as(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("version", "1.0", "install", Map.of("command", java.util.List.of())))
                .post("/api/v1/products/{p}/releases", product)
                .then().statusCode(400).body("detail", containsString("command"));
    }

    @Test
    void publishingARelaseWithoutArtifactsIsRefused() {
        String product = Api.newProduct("empty");
        Api.newRelease(product, "1.0");
        as(Tokens.admin()).post("/api/v1/products/{p}/releases/1.0/publish", product)
                .then().statusCode(409).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("no artifacts"));
        as(Tokens.viewer()).get("/api/v1/products/{p}/releases/1.0", product).then().body("state", equalTo("DRAFT"));
    }

    @Test
    void publishingRefusesAnInstallArchiveThatWasNeverUploaded() {
        String product = Api.newProduct("noarch");
        as(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("version", "1.0", "install", Map.of("archive", "app.zip")))
                .post("/api/v1/products/{p}/releases", product).then().statusCode(201);
        Api.upload(product, "1.0", "other.bin", Api.bytes(1000));
        as(Tokens.admin()).post("/api/v1/products/{p}/releases/1.0/publish", product)
                .then().statusCode(409).body("detail", containsString("app.zip"));
    }

    @Test
    void aPublishedReleaseCannotBePublishedAgainNorChanged() {
        String product = Api.newProduct("frozen");
        Api.newRelease(product, "1.0");
        Api.upload(product, "1.0", "a.bin", Api.bytes(5000));
        Api.publish(product, "1.0");
        as(Tokens.admin()).post("/api/v1/products/{p}/releases/1.0/publish", product).then().statusCode(409);
        as(Tokens.admin()).contentType("application/octet-stream").body(Api.bytes(10))
                .put("/api/v1/products/{p}/releases/1.0/artifacts/b.bin", product)
                .then().statusCode(409).body("detail", containsString("draft"));
    }

    @Test
    void sequencesGrowPerProduct() {
        String product = Api.newProduct("seq");
        for (String v : new String[] {"1.0", "1.1", "2.0"}) {
            Api.newRelease(product, v);
            Api.upload(product, v, "a.bin", Api.bytes(100 + v.length()));
            Api.publish(product, v);
        }
        as(Tokens.viewer()).get("/api/v1/products/{p}/releases/1.0", product).then().body("sequence", equalTo(1));
        as(Tokens.viewer()).get("/api/v1/products/{p}/releases/2.0", product).then().body("sequence", equalTo(3));
        as(Tokens.viewer()).get("/api/v1/products/{p}", product).then().body("lastSequence", equalTo(3));
    }

    @Test
    void revokingAPublishedReleaseWithdrawsItsTorrents() {
        String product = Api.newProduct("revoke");
        Api.newRelease(product, "1.0");
        Api.upload(product, "1.0", "a.bin", Api.bytes(5000));
        Api.publish(product, "1.0");
        as(Tokens.publisher()).post("/api/v1/products/{p}/releases/1.0/revoke", product)
                .then().statusCode(200).body("state", equalTo("REVOKED"));
        as(Tokens.admin()).get("/api/v1/products/{p}/releases/1.0/artifacts/a.bin/torrent", product)
                .then().statusCode(409);
        as(Tokens.admin()).post("/api/v1/products/{p}/releases/1.0/revoke", product).then().statusCode(409);
    }
}
