package io.starling.controlplane.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.starling.protocol.testing.TestBytes;
import java.util.Map;
import java.util.UUID;

/** Small builders for test data through the public API, so tests read as a user's steps. */
public final class Api {

    private Api() {
    }

    public static RequestSpecification as(String token) {
        return given().auth().oauth2(token);
    }

    /** A product with a unique name, so test classes never collide in the shared database. */
    public static String newProduct(String prefix) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        as(Tokens.admin()).contentType(ContentType.JSON).body(Map.of("name", name, "description", "test product"))
                .post("/api/v1/products").then().statusCode(201);
        return name;
    }

    /** A site with a unique name; its ranges must not overlap any other test's sites. */
    public static String newSite(String prefix, String... cidrs) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        as(Tokens.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "description", "test site", "cidrs", java.util.List.of(cidrs)))
                .post("/api/v1/sites").then().statusCode(201);
        return name;
    }

    public static void newRelease(String product, String version) {
        as(Tokens.admin()).contentType(ContentType.JSON).body(Map.of("version", version, "notes", "test"))
                .post("/api/v1/products/{p}/releases", product).then().statusCode(201);
    }

    public static void upload(String product, String version, String file, byte[] bytes) {
        as(Tokens.admin()).contentType("application/octet-stream").body(bytes)
                .put("/api/v1/products/{p}/releases/{v}/artifacts/{f}", product, version, file)
                .then().statusCode(201);
    }

    public static void publish(String product, String version) {
        as(Tokens.admin()).post("/api/v1/products/{p}/releases/{v}/publish", product, version).then().statusCode(200);
    }

    /** A new product with release 1.0 of one artifact, published; returns the artifact's v1 info-hash (hex). */
    public static String publishedArtifact(String productPrefix, int size) {
        String product = newProduct(productPrefix);
        newRelease(product, "1.0");
        upload(product, "1.0", "app.bin", bytes(size));
        publish(product, "1.0");
        return as(Tokens.viewer()).get("/api/v1/products/{p}/releases/1.0", product).then().statusCode(200)
                .extract().path("artifacts[0].infoHashV1");
    }

    /**
     * Random bytes: blobs are content-addressed, so two tests uploading equal bytes would share
     * a blob and could not check that a refused upload stored nothing.
     */
    public static byte[] bytes(int size) {
        return TestBytes.random(size);
    }
}
