package io.starling.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.starling.protocol.agent.CheckInRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A control plane (or anything posing as one) that answers forever, or a byte at a time: the
 * agent gives up at the cap or the deadline, says which, and uses nothing of the answer.
 */
class EndlessAndSlowAnswersTest {

    private static final CheckInRequest CHECK_IN = new CheckInRequest("1", "ws-1", null, 10, List.of(), List.of());
    private static final byte[] JUNK = new byte[16 * 1024];

    private HttpServer server;
    private final AtomicLong written = new AtomicLong();
    private final CountDownLatch hungUp = new CountDownLatch(1);

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private URI serve(Handler handler) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                handler.handle(exchange);
            } catch (IOException e) {
                hungUp.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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

    /** Headers, then bytes until the agent hangs up. */
    private void endless(HttpExchange exchange, int status) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, 0);
        OutputStream out = exchange.getResponseBody();
        while (true) {
            out.write(JUNK);
            written.addAndGet(JUNK.length);
        }
    }

    private static ControlPlaneClient client(URI uri, Duration deadline) {
        return new ControlPlaneClient(uri, new FixedToken(), StubControlPlane.JSON, Duration.ofSeconds(5), deadline,
                Transport.defaults());
    }

    @Test
    void anEndlessCheckInAnswerIsRefusedAtItsCapAndTheAgentHangsUp() throws Exception {
        URI uri = serve(exchange -> endless(exchange, 200));

        assertThatThrownBy(() -> client(uri, Duration.ofMinutes(1)).checkIn(CHECK_IN))
                .isInstanceOfSatisfying(ControlPlaneException.class, e -> assertThat(e.unreachable()).isTrue())
                .hasMessageContaining("the control plane's check-in answer is longer than 4194304 bytes")
                .hasMessageContaining("refused without using any of it");
        assertThat(hungUp.await(10, TimeUnit.SECONDS)).as("the agent closed the connection").isTrue();
    }

    @Test
    void anAnswerAnnouncingMoreThanTheCapIsRefusedBeforeItsBodyIsRead() throws Exception {
        URI uri = serve(exchange -> {
            exchange.sendResponseHeaders(200, 17L * 1024 * 1024);
            OutputStream out = exchange.getResponseBody();
            while (true) {
                out.write(JUNK);
                written.addAndGet(JUNK.length);
            }
        });

        assertThatThrownBy(() -> client(uri, Duration.ofMinutes(1)).torrent("/api/agent/v1/deployments/d/artifacts/a/torrent"))
                .isInstanceOf(ControlPlaneException.class)
                .hasMessageContaining(".torrent file is longer than 16777216 bytes (it announced 17825792 bytes)");
    }

    @Test
    void anEndlessErrorAnswerStillCountsAsItsStatusWithADetailCutShort() throws Exception {
        URI uri = serve(exchange -> endless(exchange, 503));

        assertThatThrownBy(() -> client(uri, Duration.ofMinutes(1)).checkIn(CHECK_IN))
                .isInstanceOfSatisfying(ControlPlaneException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.getMessage().length()).isLessThan(400);
                });
        assertThat(hungUp.await(10, TimeUnit.SECONDS)).as("the agent closed the connection").isTrue();
    }

    @Test
    @Timeout(60) // without a deadline of its own the agent would wait for ever
    void anAnswerTrickledAByteASecondIsCutAtTheDeadline() throws Exception {
        URI uri = serve(exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write('{');
            out.flush();
            while (true) {
                Thread.sleep(1000);
                out.write(' ');
                out.flush();
            }
        });
        Instant start = Instant.now();

        assertThatThrownBy(() -> client(uri, Duration.ofSeconds(3)).checkIn(CHECK_IN))
                .isInstanceOfSatisfying(ControlPlaneException.class, e -> assertThat(e.unreachable()).isTrue())
                .hasMessageContaining("the control plane's check-in answer did not arrive in full before the request deadline");
        // Not bound by the JDK's 5 s header timeout, which the trickle never trips, nor endless.
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void anEndlessStreamIsReadNoFurtherThanTheCapAndOneChunk() {
        AtomicLong consumed = new AtomicLong();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                consumed.incrementAndGet();
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                consumed.addAndGet(len);
                return len;
            }
        };

        assertThatThrownBy(() -> BoundedBody.read(endless, -1, BoundedBody.Kind.CHECK_IN,
                Instant.now().plusSeconds(60), Clock.systemUTC()))
                .isInstanceOf(BoundedBody.RefusedException.class)
                .hasMessageContaining("longer than " + BoundedBody.Kind.CHECK_IN.cap + " bytes");
        assertThat(consumed.get()).isLessThanOrEqualTo(BoundedBody.Kind.CHECK_IN.cap + BoundedBody.CHUNK);
    }

    @Test
    void anAnswerExactlyAtTheCapIsUsedAndOneByteMoreIsNot() throws Exception {
        byte[] body = new byte[BoundedBody.Kind.ENROLLMENT.cap];
        byte[] read = BoundedBody.read(new java.io.ByteArrayInputStream(body), body.length, BoundedBody.Kind.ENROLLMENT,
                Instant.now().plusSeconds(60), Clock.systemUTC());
        assertThat(read).hasSize(body.length);
        assertThatThrownBy(() -> BoundedBody.read(new java.io.ByteArrayInputStream(new byte[body.length + 1]), -1,
                BoundedBody.Kind.ENROLLMENT, Instant.now().plusSeconds(60), Clock.systemUTC()))
                .isInstanceOf(BoundedBody.RefusedException.class);
    }

    private static final class FixedToken implements TokenSource {
        @Override
        public String accessToken() {
            return "token";
        }

        @Override
        public void invalidate() {
        }
    }
}
