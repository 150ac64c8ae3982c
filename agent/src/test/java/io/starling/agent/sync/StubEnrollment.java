package io.starling.agent.sync;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.starling.protocol.agent.EnrollRequest;
import io.starling.protocol.agent.EnrollResponse;
import io.starling.protocol.agent.TrustedKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/** A control plane's enrollment endpoint in the test's process, over HTTPS or plain HTTP on 127.0.0.1. */
public final class StubEnrollment implements AutoCloseable {

    private final HttpServer server;
    private final String scheme;
    private final AtomicInteger calls = new AtomicInteger();
    private volatile EnrollResponse answer;
    private volatile EnrollRequest lastRequest;
    private volatile CertificateIssuer issuer;

    /** What the swarm CA of a control plane does with the swarm key of a request. */
    public interface CertificateIssuer {
        String issue(String publicKeyBase64) throws Exception;
    }

    /** @param tls the server's certificate, or null for plain HTTP */
    public StubEnrollment(SSLContext tls, List<TrustedKey> manifestKeys, String tokenUrl) throws IOException {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", 0);
        if (tls == null) {
            server = HttpServer.create(address, 8);
            scheme = "http";
        } else {
            HttpsServer https = HttpsServer.create(address, 8);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
            scheme = "https";
        }
        answer = new EnrollResponse("agent-7", "starling-agent-agent-7", "s3cret", tokenUrl, "passkey-7", manifestKeys,
                null, List.of());
        server.createContext(ControlPlaneClient.BASE + "/enroll", this::enroll);
        server.start();
    }

    /** Answers with this root key and key set from now on. */
    public StubEnrollment withRoot(TrustedKey root, io.starling.protocol.keys.SignedKeySet keySet) {
        EnrollResponse a = answer;
        answer = new EnrollResponse(a.agentId(), a.clientId(), a.clientSecret(), a.tokenUrl(), a.passkey(), a.manifestKeys(),
                a.site(), a.labels(), root, keySet);
        return this;
    }

    /** Answers a request that sends a swarm key with the certificate {@code issuer} makes for it. */
    public StubEnrollment issuing(CertificateIssuer issuer) {
        this.issuer = issuer;
        return this;
    }

    /** The last enrollment request that reached it. */
    public EnrollRequest lastRequest() {
        return lastRequest;
    }

    public URI uri() {
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    /** How many enrollment requests reached it. */
    public int calls() {
        return calls.get();
    }

    private void enroll(HttpExchange exchange) throws IOException {
        calls.incrementAndGet();
        EnrollRequest request = StubControlPlane.JSON.readValue(exchange.getRequestBody().readAllBytes(), EnrollRequest.class);
        lastRequest = request;
        EnrollResponse a = answer;
        if (issuer != null && request.peerPublicKey() != null) {
            String certificate;
            try {
                certificate = issuer.issue(request.peerPublicKey());
            } catch (Exception e) {
                throw new IOException(e);
            }
            a = new EnrollResponse(a.agentId(), a.clientId(), a.clientSecret(), a.tokenUrl(), a.passkey(), a.manifestKeys(),
                    a.site(), a.labels(), a.rootKey(), a.keySet(), certificate);
        }
        byte[] body = StubControlPlane.JSON.writeValueAsBytes(a);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
