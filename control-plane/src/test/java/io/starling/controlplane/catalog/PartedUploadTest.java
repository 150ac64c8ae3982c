package io.starling.controlplane.catalog;

import static io.starling.controlplane.testing.Api.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.starling.controlplane.testing.Api;
import io.starling.controlplane.testing.Tokens;
import io.starling.protocol.testing.Sha256;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Uploads in parts, as the console sends them; the test profile's parts are 256 KiB. */
@QuarkusTest
class PartedUploadTest {

    private static final String UPLOADS = "/api/v1/products/{p}/releases/{v}/artifacts/{f}/uploads";
    private static final String UPLOAD = UPLOADS + "/{id}";
    private static final String PART = UPLOAD + "/parts/{n}";
    private static final int PART_SIZE = 256 * 1024;

    @Inject
    FileBlobStore blobs;

    @Inject
    PartedUploads parted;

    @Test
    void partsSentAtOnceAndOutOfOrderMakeTheSameArtifactAsASingleUpload() throws Exception {
        String product = draft();
        Api.newRelease(product, "2.0");
        byte[] data = Api.bytes(4 * PART_SIZE + 17);
        String id = start(product, "1.0", "setup.bin", data.length)
                .then().statusCode(201).body("partSize", equalTo(PART_SIZE)).body("parts", equalTo(5))
                .extract().path("uploadId");
        ExecutorService senders = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int n = 5; n >= 1; n--) {
                int part = n;
                sent.add(senders.submit(() -> sendPart(product, "1.0", "setup.bin", id, part, slice(data, part))
                        .then().statusCode(200).body("part", equalTo(part))));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            senders.shutdown();
        }
        Map<String, Object> parts = as(Tokens.publisher()).post(UPLOAD + "/complete", product, "1.0", "setup.bin", id)
                .then().statusCode(201).extract().jsonPath().getMap("");
        Map<String, Object> single = as(Tokens.publisher()).contentType("application/octet-stream").body(data)
                .put("/api/v1/products/{p}/releases/{v}/artifacts/{f}", product, "2.0", "setup.bin")
                .then().statusCode(201).extract().jsonPath().getMap("");
        parts.remove("uploadedAt");
        single.remove("uploadedAt");
        assertThat(parts).isEqualTo(single).containsEntry("sha256", Sha256.hex(data));
        assertThat(Files.readAllBytes(blobs.localFile(Sha256.hex(data)).orElseThrow())).isEqualTo(data);
        TempFiles.awaitNone(blobs);
    }

    @Test
    void aFileSmallerThanOnePartIsOnePart() {
        String product = draft();
        byte[] data = Api.bytes(1000);
        String id = start(product, "1.0", "small.bin", data.length).then().statusCode(201).body("parts", equalTo(1))
                .extract().path("uploadId");
        sendPart(product, "1.0", "small.bin", id, 1, data).then().statusCode(200);
        as(Tokens.admin()).post(UPLOAD + "/complete", product, "1.0", "small.bin", id).then().statusCode(201)
                .body("sha256", equalTo(Sha256.hex(data))).body("size", equalTo(1000));
    }

    @Test
    void wrongPartsAreRefusedWithAClearProblem() {
        String product = draft();
        byte[] data = Api.bytes(2 * PART_SIZE + 5);
        String id = start(product, "1.0", "setup.bin", data.length).then().extract().path("uploadId");
        problem(sendPart(product, "1.0", "setup.bin", id, 4, new byte[5]), 400, "has parts 1 to 3");
        problem(sendPart(product, "1.0", "setup.bin", id, 0, new byte[5]), 400, "has parts 1 to 3");
        problem(sendPart(product, "1.0", "setup.bin", id, 1, new byte[100]), 400, "is " + PART_SIZE + " bytes");
        problem(sendPart(product, "1.0", "setup.bin", "no-such-upload", 1, slice(data, 1)), 404, "No upload");
        problem(sendPart(product, "1.0", "other.bin", id, 1, slice(data, 1)), 404, "No upload");
        sendPart(product, "1.0", "setup.bin", id, 1, slice(data, 1)).then().statusCode(200);
        problem(sendPart(product, "1.0", "setup.bin", id, 1, slice(data, 1)), 409, "already received");
        problem(as(Tokens.admin()).post(UPLOAD + "/complete", product, "1.0", "setup.bin", id), 409,
                "parts 2, 3 of 3 have not been received");
        // Still open: the missing parts can come, and then it completes.
        sendPart(product, "1.0", "setup.bin", id, 3, slice(data, 3)).then().statusCode(200);
        sendPart(product, "1.0", "setup.bin", id, 2, slice(data, 2)).then().statusCode(200);
        as(Tokens.admin()).post(UPLOAD + "/complete", product, "1.0", "setup.bin", id).then().statusCode(201);
        problem(as(Tokens.admin()).post(UPLOAD + "/complete", product, "1.0", "setup.bin", id), 404, "No upload");
    }

    @Test
    void aBadStartIsRefused() {
        String product = draft();
        problem(start(product, "1.0", "setup.bin", 0), 400, "size");
        problem(start(product, "1.0", "setup.bin", 1L << 40), 413, "max-artifact-size");
        problem(start(product, "9.9", "setup.bin", 10), 404, "No release");
        problem(as(Tokens.admin()).contentType("application/json").body("{\"size\": 10, \"sha256\": \"abc\"}")
                .post(UPLOADS, product, "1.0", "setup.bin"), 400, "64 hex digits");
        Api.upload(product, "1.0", "first.bin", Api.bytes(10));
        Api.publish(product, "1.0");
        problem(start(product, "1.0", "setup.bin", 10), 409, "only be added to a draft");
    }

    @Test
    void aPartOfAReleasePublishedMeanwhileIsRefused() {
        String product = draft();
        byte[] data = Api.bytes(PART_SIZE + 1);
        String id = start(product, "1.0", "setup.bin", data.length).then().extract().path("uploadId");
        Api.upload(product, "1.0", "first.bin", Api.bytes(10));
        Api.publish(product, "1.0");
        problem(sendPart(product, "1.0", "setup.bin", id, 1, slice(data, 1)), 409, "only be added to a draft");
        as(Tokens.admin()).delete(UPLOAD, product, "1.0", "setup.bin", id).then().statusCode(204);
    }

    @Test
    void aWrongDeclaredSha256StoresNothing() throws Exception {
        String product = draft();
        byte[] data = Api.bytes(PART_SIZE + 1);
        String wrong = Sha256.hex("something else".getBytes(StandardCharsets.UTF_8));
        String id = as(Tokens.admin()).contentType("application/json")
                .body(Map.of("size", data.length, "sha256", wrong)).post(UPLOADS, product, "1.0", "setup.bin")
                .then().statusCode(201).extract().path("uploadId");
        sendPart(product, "1.0", "setup.bin", id, 1, slice(data, 1)).then().statusCode(200);
        sendPart(product, "1.0", "setup.bin", id, 2, slice(data, 2)).then().statusCode(200);
        problem(as(Tokens.admin()).post(UPLOAD + "/complete", product, "1.0", "setup.bin", id), 400, Sha256.hex(data));
        assertNothingStored(product, Sha256.hex(data));
    }

    @Test
    void aPartSentTwiceAtOnceIsRefusedAndCanBeSentAgainOnceTheFirstBrokeOff() throws Exception {
        String product = draft();
        byte[] data = Api.bytes(2 * PART_SIZE);
        String id = start(product, "1.0", "setup.bin", data.length).then().extract().path("uploadId");
        try (Socket first = new Socket("127.0.0.1", RestAssured.port)) {
            first.setSoTimeout(10_000);
            OutputStream out = first.getOutputStream();
            out.write(("PUT /api/v1/products/" + product + "/releases/1.0/artifacts/setup.bin/uploads/" + id
                    + "/parts/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + Tokens.admin()
                    + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + PART_SIZE
                    + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The go-ahead comes once the part is claimed by this request.
            InputStream in = first.getInputStream();
            assertThat(new String(in.readNBytes(25), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 100 Continue");
            out.write(data, 0, 1000);
            out.flush();
            problem(sendPart(product, "1.0", "setup.bin", id, 1, slice(data, 1)), 409, "another request");
        }
        // The first request broke off: the part is missing again and can be sent whole.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status;
        do {
            status = sendPart(product, "1.0", "setup.bin", id, 1, slice(data, 1)).statusCode();
        } while (status == 409 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(200);
        sendPart(product, "1.0", "setup.bin", id, 2, slice(data, 2)).then().statusCode(200);
        as(Tokens.admin()).post(UPLOAD + "/complete", product, "1.0", "setup.bin", id).then().statusCode(201)
                .body("sha256", equalTo(Sha256.hex(data)));
    }

    @Test
    void aCancelledUploadLeavesNothingBehind() throws Exception {
        String product = draft();
        byte[] data = Api.bytes(2 * PART_SIZE);
        String id = halfSent(product, data);
        as(Tokens.publisher()).delete(UPLOAD, product, "1.0", "setup.bin", id).then().statusCode(204);
        problem(sendPart(product, "1.0", "setup.bin", id, 2, slice(data, 2)), 404, "No upload");
        problem(as(Tokens.admin()).post(UPLOAD + "/complete", product, "1.0", "setup.bin", id), 404, "No upload");
        assertNothingStored(product, Sha256.hex(data));
    }

    @Test
    void anAbandonedUploadExpiresAndItsBytesAreFreed() throws Exception {
        String product = draft();
        byte[] data = Api.bytes(2 * PART_SIZE);
        String id = halfSent(product, data);
        parted.dropAbandoned(Instant.now().plus(Duration.ofMinutes(30)));
        sendPart(product, "1.0", "setup.bin", id, 2, slice(data, 2)).then().statusCode(200); // not yet: 1 h
        parted.dropAbandoned(Instant.now().plus(Duration.ofMinutes(61)));
        problem(as(Tokens.admin()).post(UPLOAD + "/complete", product, "1.0", "setup.bin", id), 404, "expired");
        assertNothingStored(product, Sha256.hex(data));
    }

    /** An upload of two parts of which the first was sent. */
    private static String halfSent(String product, byte[] data) {
        String id = start(product, "1.0", "setup.bin", data.length).then().extract().path("uploadId");
        sendPart(product, "1.0", "setup.bin", id, 1, slice(data, 1)).then().statusCode(200);
        return id;
    }

    private static io.restassured.response.Response start(String product, String version, String file, long size) {
        return as(Tokens.publisher()).contentType("application/json").body(Map.of("size", size))
                .post(UPLOADS, product, version, file);
    }

    private static io.restassured.response.Response sendPart(String product, String version, String file, String id,
            int part, byte[] bytes) {
        return as(Tokens.publisher()).contentType("application/octet-stream").body(bytes)
                .put(PART, product, version, file, id, part);
    }

    private static byte[] slice(byte[] data, int part) {
        int from = (part - 1) * PART_SIZE;
        return Arrays.copyOfRange(data, from, Math.min(data.length, from + PART_SIZE));
    }

    private static void problem(io.restassured.response.Response response, int status, String detail) {
        response.then().statusCode(status).contentType(startsWith("application/problem+json"))
                .body("detail", containsString(detail));
    }

    private void assertNothingStored(String product, String sha) throws Exception {
        as(Tokens.viewer()).get("/api/v1/products/{p}/releases/1.0", product).then()
                .body("state", equalTo("DRAFT")).body("artifacts", empty());
        assertThat(blobs.exists(sha)).as("blob " + sha).isFalse();
        TempFiles.awaitNone(blobs);
    }

    private static String draft() {
        String product = Api.newProduct("parts");
        Api.newRelease(product, "1.0");
        return product;
    }
}
