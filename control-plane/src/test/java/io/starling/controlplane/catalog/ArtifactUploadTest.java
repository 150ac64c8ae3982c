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
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ArtifactUploadTest {

    private static final String ARTIFACTS = "/api/v1/products/{p}/releases/{v}/artifacts/{f}";

    @Inject
    FileBlobStore blobs;

    @Inject
    CatalogConfig catalogConfig;

    @Test
    void anUploadIsHashedAndStored() throws Exception {
        String product = draft();
        byte[] data = Api.bytes(3 * 1024 * 1024 + 17);
        String sha = Sha256.hex(data);
        as(Tokens.publisher()).contentType("application/octet-stream").header("X-Starling-Sha256", sha).body(data)
                .put(ARTIFACTS, product, "1.0", "setup.bin")
                .then().statusCode(201)
                .body("sha256", equalTo(sha))
                .body("size", equalTo(data.length))
                .body("pieceLength", equalTo(256 * 1024));
        assertThat(blobs.exists(sha)).isTrue();
        assertThat(Files.readAllBytes(blobs.localFile(sha).orElseThrow())).isEqualTo(data);
    }

    @Test
    void uploadingTheSameNameAgainReplacesTheDraftArtifact() {
        String product = draft();
        Api.upload(product, "1.0", "setup.bin", Api.bytes(1000));
        byte[] second = Api.bytes(2000);
        as(Tokens.admin()).contentType("application/octet-stream").body(second)
                .put(ARTIFACTS, product, "1.0", "setup.bin")
                .then().statusCode(200).body("size", equalTo(2000));
        as(Tokens.viewer()).get("/api/v1/products/{p}/releases/1.0", product).then()
                .body("artifacts.size()", equalTo(1)).body("artifacts[0].size", equalTo(2000));
    }

    @Test
    void aWrongDeclaredSha256StoresNothing() throws Exception {
        String product = draft();
        byte[] data = Api.bytes(100_000);
        String wrong = Sha256.hex("something else".getBytes(StandardCharsets.UTF_8));
        as(Tokens.admin()).contentType("application/octet-stream").header("X-Starling-Sha256", wrong).body(data)
                .put(ARTIFACTS, product, "1.0", "setup.bin")
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("detail", containsString(Sha256.hex(data)));
        assertNothingStored(product, Sha256.hex(data));
    }

    @Test
    void aWrongContentDigestStoresNothing() throws Exception {
        String product = draft();
        byte[] data = Api.bytes(10_000);
        String digest = "sha-256=:" + Base64.getEncoder().encodeToString(new byte[32]) + ":";
        as(Tokens.admin()).contentType("application/octet-stream").header("Content-Digest", digest).body(data)
                .put(ARTIFACTS, product, "1.0", "setup.bin").then().statusCode(400);
        assertNothingStored(product, Sha256.hex(data));
    }

    @Test
    void aMatchingContentDigestIsAccepted() throws Exception {
        String product = draft();
        byte[] data = Api.bytes(10_000);
        String digest = "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(Sha256.hex(data))) + ":";
        as(Tokens.admin()).contentType("application/octet-stream").header("Content-Digest", digest).body(data)
                .put(ARTIFACTS, product, "1.0", "setup.bin").then().statusCode(201);
    }

    @Test
    void anOversizedUploadIsRefusedBeforeItsBytesAreRead() throws Exception {
        String product = draft();
        byte[] data = new byte[8 * 1024 * 1024 + 1]; // test limit: 8 MiB
        as(Tokens.admin()).contentType("application/octet-stream").body(data)
                .put(ARTIFACTS, product, "1.0", "big.bin")
                .then().statusCode(413).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("limit"));
        assertNothingStored(product, Sha256.hex(data));
    }

    @Test
    void anUploadCutOffHalfwayLeavesNothingBehind() throws Exception {
        String product = draft();
        int declared = 4 * 1024 * 1024;
        byte[] half = Api.bytes(declared / 2);
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            out.write(putHead(product, "cut.bin", declared));
            out.write(half);
            out.flush();
        }
        awaitNoTempFiles();
        assertNothingStored(product, Sha256.hex(half));
    }

    @Test
    void aClientThatAsksToContinueIsToldToSendTheBodyWithoutWaiting() throws Exception {
        String product = draft();
        byte[] data = Api.bytes(300_000);
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(putHead(product, "expect.bin", data.length, "Expect: 100-continue", "Connection: close"));
            out.flush();
            // curl waits a whole second for this line before it sends anything (its Expect timeout).
            InputStream in = socket.getInputStream();
            assertThat(readLine(in)).isEqualTo("HTTP/1.1 100 Continue");
            out.write(data);
            out.flush();
            String rest = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(rest).contains("HTTP/1.1 201").contains(Sha256.hex(data));
        }
    }

    @Test
    void aConnectionThatUploadedStaysUsableForTheNextRequest() throws Exception {
        String product = draft();
        byte[] data = Api.bytes(5 * 1024 * 1024 + 3); // many network buffers, taken off the connection as they come
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write(putHead(product, "kept.bin", data.length, "Expect: 100-continue"));
            out.flush();
            awaitContinue(in);
            out.write(data);
            out.flush();
            assertThat(readResponse(in)).startsWith("HTTP/1.1 201").contains(Sha256.hex(data));
            // Same connection, next request: the server must not still be waiting for body bytes.
            out.write(("GET /api/v1/products/" + product + "/releases/1.0 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + Tokens.viewer() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readResponse(in)).startsWith("HTTP/1.1 200").contains("kept.bin").contains(Sha256.hex(data));
        }
        assertThat(Files.readAllBytes(blobs.localFile(Sha256.hex(data)).orElseThrow())).isEqualTo(data);
    }

    @Test
    void aBodySentRightBehindItsHeadersIsStoredWhole() throws Exception {
        String product = draft();
        // No Expect: the first bytes reach the server before the upload has looked at its checks,
        // the rest after; they must be stored in order, none twice or lost.
        byte[] data = Api.bytes(7 * 1024 * 1024 + 11);
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(putHead(product, "eager.bin", data.length, "Connection: close"));
            out.write(data);
            out.flush();
            assertThat(readResponse(socket.getInputStream())).startsWith("HTTP/1.1 201").contains(Sha256.hex(data));
        }
        assertThat(Files.readAllBytes(blobs.localFile(Sha256.hex(data)).orElseThrow())).isEqualTo(data);
    }

    @Test
    void anUploadBeyondTheConcurrentUploadsWaitsThenIsToldToTryAgainLater() throws Exception {
        String product = draft();
        int slots = catalogConfig.concurrentUploads();
        java.util.List<Socket> streaming = new java.util.ArrayList<>();
        try {
            // Every slot taken by an upload that was told to continue and has not sent its body yet.
            for (int i = 0; i < slots; i++) {
                Socket socket = new Socket("127.0.0.1", RestAssured.port);
                streaming.add(socket);
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(
                        putHead(product, "slot" + i + ".bin", 1000, "Expect: 100-continue", "Connection: close"));
                socket.getOutputStream().flush();
                awaitContinue(socket.getInputStream());
            }
            byte[] late = Api.bytes(500);
            as(Tokens.admin()).contentType("application/octet-stream").body(late)
                    .put(ARTIFACTS, product, "1.0", "late.bin")
                    .then().statusCode(503).contentType(startsWith("application/problem+json"))
                    .body("detail", containsString("starling.catalog.concurrent-uploads"));
            assertThat(blobs.exists(Sha256.hex(late))).isFalse();

            // One of them finishes: its slot goes to the next upload.
            byte[] first = Api.bytes(1000);
            Socket done = streaming.remove(0);
            done.getOutputStream().write(first);
            done.getOutputStream().flush();
            assertThat(readResponse(done.getInputStream())).startsWith("HTTP/1.1 201");
            done.close();
            as(Tokens.admin()).contentType("application/octet-stream").body(late)
                    .put(ARTIFACTS, product, "1.0", "late.bin").then().statusCode(201);
        } finally {
            for (Socket s : streaming) {
                s.close(); // those uploads break off: nothing of them is stored
            }
        }
        awaitNoTempFiles();
    }

    /** The head of an admin's raw {@code PUT} of an artifact of release 1.0, with extra header lines. */
    private static byte[] putHead(String product, String file, long contentLength, String... headers) {
        StringBuilder head = new StringBuilder("PUT /api/v1/products/" + product + "/releases/1.0/artifacts/" + file
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + Tokens.admin()
                + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + contentLength + "\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads the server's go-ahead: the interim 100 response, status line and empty line. */
    private static void awaitContinue(InputStream in) throws IOException {
        assertThat(readLine(in)).isEqualTo("HTTP/1.1 100 Continue");
        assertThat(readLine(in)).isEmpty();
    }

    /** Status line, headers and a Content-Length body of one response. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder response = new StringBuilder();
        long length = 0;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            response.append(line).append('\n');
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Long.parseLong(line.substring(15).trim());
            }
        }
        byte[] body = in.readNBytes((int) length);
        return response.append('\n').append(new String(body, StandardCharsets.UTF_8)).toString();
    }

    @Test
    void anOversizedUploadThatAsksToContinueIsRefusedBeforeItsBodyIsSent() throws Exception {
        String product = draft();
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(putHead(product, "huge.bin", 1L << 50, "Expect: 100-continue", "Connection: close"));
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            // Refused on the headers alone: no go-ahead, so the client never sends the gigabyte.
            assertThat(response).startsWith("HTTP/1.1 413").doesNotContain("100 Continue");
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Test
    void anUploadWithoutContentLengthIsAskedForOne() throws Exception {
        String product = draft();
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            OutputStream out = socket.getOutputStream();
            String request = "PUT /api/v1/products/" + product + "/releases/1.0/artifacts/chunked.bin HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nAuthorization: Bearer " + Tokens.admin() + "\r\n"
                    + "Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + "5\r\nhello\r\n0\r\n\r\n";
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 411").contains("application/problem+json");
        }
        assertNothingStored(product, Sha256.hex("hello".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void anEmptyArtifactIsRefused() {
        String product = draft();
        as(Tokens.admin()).contentType("application/octet-stream").body(new byte[0])
                .put(ARTIFACTS, product, "1.0", "empty.bin").then().statusCode(400);
    }

    @Test
    void aFileNameThatEscapesItsFolderIsRefused() throws Exception {
        String product = draft();
        byte[] data = Api.bytes(10);
        // Encoded slashes and dot segments never reach the upload: normalised away (404) or refused (400).
        for (String path : new String[] {"..%2Fevil", "..", "a%2Fb", "evil%00.bin", ".hidden"}) {
            int status = as(Tokens.admin()).urlEncodingEnabled(false).contentType("application/octet-stream").body(data)
                    .put("/api/v1/products/" + product + "/releases/1.0/artifacts/" + path)
                    .then().contentType(startsWith("application/problem+json")).extract().statusCode();
            assertThat(status).as(path).isIn(400, 404, 405);
        }
        assertNothingStored(product, Sha256.hex(data));
    }

    private static String draft() {
        String product = Api.newProduct("upload");
        Api.newRelease(product, "1.0");
        return product;
    }

    private void assertNothingStored(String product, String sha) throws IOException {
        as(Tokens.viewer()).get("/api/v1/products/{p}/releases/1.0", product).then()
                .body("state", equalTo("DRAFT")).body("artifacts", empty());
        assertThat(blobs.exists(sha)).as("blob " + sha).isFalse();
        awaitNoTempFiles();
    }

    private void awaitNoTempFiles() throws IOException {
        TempFiles.awaitNone(blobs);
    }
}
