package io.starling.controlplane.webhook;

import com.sun.net.httpserver.HttpServer;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A team's webhook endpoint: a real HTTP server on a free loopback port that records what it is sent. */
final class Receiver implements AutoCloseable {

    /** One POST as it arrived: the raw body and the headers that matter. */
    record Request(byte[] body, String signature, String event, String delivery) {

        JsonPath json() {
            return JsonPath.from(new String(body, StandardCharsets.UTF_8));
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();

    /** @param status the answer to the n-th (1-based) attempt of a delivery */
    private Receiver(Function<Integer, Integer> status) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            var h = exchange.getRequestHeaders();
            Request r = new Request(body, h.getFirst("X-Starling-Signature"), h.getFirst("X-Starling-Event"),
                    h.getFirst("X-Starling-Delivery"));
            requests.add(r);
            int attempt = tries.computeIfAbsent(String.valueOf(r.delivery()), k -> new AtomicInteger()).incrementAndGet();
            exchange.sendResponseHeaders(status.apply(attempt), -1);
            exchange.close();
        });
        server.start();
    }

    static Receiver answering(int status) throws IOException {
        return new Receiver(attempt -> status);
    }

    /** Fails each delivery's first attempt with a 500, then takes it. */
    static Receiver failingFirst() throws IOException {
        return new Receiver(attempt -> attempt == 1 ? 500 : 200);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** What arrived about one rollout. */
    List<Request> about(String rolloutId) {
        return requests().stream().filter(r -> rolloutId.equals(r.json().getString("event.rolloutId"))).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
