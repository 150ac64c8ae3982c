package io.starling.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Server-Sent Events stream read as a browser's {@code EventSource} would: the JDK HttpClient
 * with a streaming body and a bearer token, frames parsed as they arrive on a reader thread.
 * Comment lines (heartbeats) are skipped.
 */
final class SseStream implements AutoCloseable {

    /** One event: its {@code id:}, {@code event:} and {@code data:} lines. */
    record Event(long id, String type, String data) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Event END = new Event(-1, "", "");

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final InputStream body;
    private final Thread reader;
    private volatile IOException failure;

    private SseStream(InputStream body) {
        this.body = body;
        this.reader = new Thread(this::read, "sse-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code url}, sending {@code Last-Event-ID} when {@code lastEventId} is not null. */
    static SseStream open(String url, String token, Long lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + token);
        if (lastEventId != null) {
            request.header("Last-Event-ID", String.valueOf(lastEventId));
        }
        HttpResponse<InputStream> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (r.statusCode() != 200 || !type.startsWith("text/event-stream")) {
            String text;
            try (InputStream in = r.body()) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            throw new IllegalStateException("GET " + url + ": " + r.statusCode() + " " + type + " " + text);
        }
        return new SseStream(r.body());
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String id = null;
            String type = "message";
            StringBuilder data = new StringBuilder();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(id == null ? -1 : Long.parseLong(id), type, data.toString()));
                    }
                    id = null;
                    type = "message";
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    continue; // a heartbeat
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("event:")) {
                    type = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).strip());
                }
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            events.add(END);
        }
    }

    /** The next event within {@code timeout}; null when none came (or the stream ended). */
    Event next(Duration timeout) throws InterruptedException {
        Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (e == END) {
            events.add(END);
            return null;
        }
        return e;
    }

    /**
     * Every event until one matches {@code last} (included) and then none came for {@code quiet};
     * fails when {@code last} did not come within {@code timeout}.
     */
    List<Event> until(Predicate<Event> last, Duration quiet, Duration timeout) throws InterruptedException {
        List<Event> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean seen = false;
        while (true) {
            Duration wait = seen ? quiet : Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            Event e = next(wait);
            if (e == null) {
                if (seen) {
                    return out;
                }
                throw new AssertionError("the awaited event did not come within " + timeout + " (stream "
                        + (failure == null ? "open" : "failed: " + failure) + "); got " + out);
            }
            out.add(e);
            seen |= last.test(e);
        }
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
