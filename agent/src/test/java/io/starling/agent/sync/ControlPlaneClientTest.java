package io.starling.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.sun.net.httpserver.HttpServer;
import io.starling.protocol.agent.CheckInRequest;
import io.starling.protocol.agent.CheckInResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent's HTTP client against a small local server that answers like the control plane. */
class ControlPlaneClientTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private HttpServer server;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    private URI serve(int status, String contentType, String body) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Hands out token-1, token-2, … and counts how often it was asked to forget one. */
    private static final class CountingTokens implements TokenSource {
        final AtomicInteger issued = new AtomicInteger();
        String current;

        @Override
        public synchronized String accessToken() {
            if (current == null) {
                current = "token-" + issued.incrementAndGet();
            }
            return current;
        }

        @Override
        public synchronized void invalidate() {
            current = null;
        }
    }

    @Test
    void aCheckInSendsTheBearerTokenAndReadsTheDesiredState() throws Exception {
        URI uri = serve(200, "application/json",
                "{\"agentId\":\"a-1\",\"site\":\"berlin\",\"deployments\":[],\"nextCheckInAt\":\"2026-11-27T10:00:00Z\"}");
        CountingTokens tokens = new CountingTokens();
        ControlPlaneClient client = new ControlPlaneClient(uri, tokens, JSON, Duration.ofSeconds(5));

        CheckInResponse response = client.checkIn(new CheckInRequest("1", "ws-1", null, 10, List.of(), List.of()));

        assertThat(response.agentId()).isEqualTo("a-1");
        assertThat(response.site()).isEqualTo("berlin");
        assertThat(authorizations).containsExactly("Bearer token-1");
    }

    @Test
    void a401IsRetriedOnceWithAFreshTokenThenReportedAsUnauthorized() throws Exception {
        URI uri = serve(401, "application/problem+json",
                "{\"type\":\"https://starling.io/problems/unauthenticated\",\"status\":401,\"detail\":\"This agent has been revoked.\"}");
        CountingTokens tokens = new CountingTokens();
        ControlPlaneClient client = new ControlPlaneClient(uri, tokens, JSON, Duration.ofSeconds(5));

        assertThatThrownBy(() -> client.checkIn(new CheckInRequest("1", "ws-1", null, 10, List.of(), List.of())))
                .isInstanceOfSatisfying(ControlPlaneException.class, e -> {
                    assertThat(e.unauthorized()).isTrue();
                    assertThat(e.getMessage()).contains("401").contains("This agent has been revoked.");
                });
        assertThat(authorizations).containsExactly("Bearer token-1", "Bearer token-2");
    }

    @Test
    void aConflictCarriesTheProblemsDetail() throws Exception {
        URI uri = serve(409, "application/problem+json", "{\"status\":409,\"detail\":\"A cancelled deployment cannot become downloaded.\"}");
        ControlPlaneClient client = new ControlPlaneClient(uri, new CountingTokens(), JSON, Duration.ofSeconds(5));

        assertThatThrownBy(() -> client.report("d-1", io.starling.protocol.agent.DeploymentStatusReport.progress(
                io.starling.protocol.agent.DeploymentState.DOWNLOADED, 1, 1, null)))
                .isInstanceOfSatisfying(ControlPlaneException.class, e -> {
                    assertThat(e.conflict()).isTrue();
                    assertThat(e.getMessage()).contains("A cancelled deployment cannot become downloaded.");
                });
    }

    @Test
    void anUnreachableControlPlaneIsStatusZero() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ControlPlaneClient client = new ControlPlaneClient(URI.create("http://127.0.0.1:" + port), new CountingTokens(),
                JSON, Duration.ofSeconds(2));
        assertThatThrownBy(() -> client.checkIn(new CheckInRequest("1", "ws-1", null, 10, List.of(), List.of())))
                .isInstanceOfSatisfying(ControlPlaneException.class, e -> assertThat(e.unreachable()).isTrue());
    }

    @Test
    void aTorrentPathOutsideTheAgentApiIsNotFollowed() throws Exception {
        URI uri = serve(200, "application/x-bittorrent", "d4:infod4:name1:aee");
        ControlPlaneClient client = new ControlPlaneClient(uri, new CountingTokens(), JSON, Duration.ofSeconds(5));
        assertThatThrownBy(() -> client.torrent("/api/v1/products/x/releases/1/artifacts/a/torrent"))
                .isInstanceOf(ControlPlaneException.class).hasMessageContaining("outside the agent API");
        assertThat(client.torrent("/api/agent/v1/deployments/d-1/artifacts/a/torrent")).isNotEmpty();
    }
}
