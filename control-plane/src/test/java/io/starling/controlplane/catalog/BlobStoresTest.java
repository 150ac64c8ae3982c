package io.starling.controlplane.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** How the S3 client talks to a store, seen from a fake store that records what arrives. */
class BlobStoresTest {

    @Test
    void aPartOverPlainHttpArrivesAsAPlainSignedBodyNotAwsChunked() throws Exception {
        List<String> payloadHashes = new CopyOnWriteArrayList<>();
        List<String> encodings = new CopyOnWriteArrayList<>();
        List<Integer> bodies = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            payloadHashes.add(String.valueOf(exchange.getRequestHeaders().getFirst("x-amz-content-sha256")));
            encodings.add(String.valueOf(exchange.getRequestHeaders().getFirst("Content-Encoding")));
            bodies.add(exchange.getRequestBody().readAllBytes().length);
            exchange.getResponseHeaders().add("ETag", "\"0\"");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        byte[] part = new byte[300 * 1024];
        try (S3Client client = BlobStores.client(S3Proxy.config(endpoint, "bucket"))) {
            client.uploadPart(b -> b.bucket("bucket").key("uploads/x").uploadId("u").partNumber(1)
                    .contentLength((long) part.length), RequestBody.fromBytes(part));
        } finally {
            server.stop(0);
        }

        // The SHA-256 of the whole part in the header, the part's own bytes as the body: no
        // aws-chunked framing, which S3Proxy decodes one byte per call.
        assertThat(payloadHashes).singleElement().asString().matches("[0-9a-f]{64}");
        assertThat(encodings).singleElement().asString().doesNotContain("aws-chunked");
        assertThat(bodies).containsExactly(part.length);
    }
}
