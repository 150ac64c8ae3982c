package io.starling.controlplane.testing;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** A Server-Sent Events client on the test application: it collects the events it reads until closed. */
public final class SseClient implements AutoCloseable {

    /** One event; {@code data} is its JSON, {@code json} the text of its data line(s) as sent. */
    public record Event(long id, String type, JsonPath data, String json) {

        public String payload(String path) {
            return data.getString("payload." + path);
        }
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final Stream<String> lines;

    private SseClient(Stream<String> lines) {
        this.lines = lines;
        Thread reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects, and returns once the response's headers have arrived. */
    public static SseClient open(String path, String token, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + RestAssured.port + path))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            HttpResponse<Stream<String>> response = HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
                    .get(20, TimeUnit.SECONDS);
            if (response.statusCode() != 200) {
                throw new IllegalStateException(path + " answered " + response.statusCode());
            }
            return new SseClient(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What arrived so far, comments left out. */
    public List<Event> events() {
        return List.copyOf(events);
    }

    /** The comment lines so far (keep-alives), without their colon. */
    public List<String> comments() {
        return List.copyOf(comments);
    }

    /** What arrived so far without the summaries, which come at their own pace. */
    public List<Event> changes() {
        return events.stream().filter(e -> !e.type().equals("summary")).toList();
    }

    private void read() {
        List<String> data = new ArrayList<>();
        String[] fields = new String[2];
        try {
            lines.forEach(line -> {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        String json = String.join("\n", data);
                        events.add(new Event(Long.parseLong(fields[0]), fields[1], JsonPath.from(json), json));
                    }
                    data.clear();
                    fields[0] = null;
                    fields[1] = null;
                } else if (line.startsWith(":")) {
                    comments.add(line.substring(1).strip());
                } else if (line.startsWith("id:")) {
                    fields[0] = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    fields[1] = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.add(line.substring(5).strip());
                }
            });
        } catch (RuntimeException e) {
            // closed
        }
    }

    @Override
    public void close() {
        lines.close();
    }

    /** Long enough for the poller, the engine's evaluation and the summaries' pace. */
    public static final Duration PATIENCE = Duration.ofSeconds(20);
}
