package io.starling.controlplane.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.hibernate.Session;
import org.jboss.logging.Logger;

/**
 * Sends due deliveries. Every replica runs one: a poller claims due rows with
 * {@code FOR UPDATE SKIP LOCKED} (so replicas never claim the same row), counts the attempt and
 * leases the row until {@link #lease()} from now, commits, and hands each row to a sender thread.
 * The sender POSTs without any transaction or lock held, then writes the outcome. A replica that
 * dies mid-send leaves the row to be claimed again when its lease ends: delivery is at least
 * once, and receivers drop repeats by {@code deliveryId}.
 *
 * <p>Nothing here runs on a rollout's thread or transaction (the database trigger of V10 only
 * inserts a row), so a slow or dead receiver delays its own deliveries, never a rollout.
 */
@ApplicationScoped
public class WebhookDispatcher {

    static final String EVENT_HEADER = "X-Starling-Event";
    static final String DELIVERY_HEADER = "X-Starling-Delivery";

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    private static final int MAX_ERROR = 500;
    private static final String CLAIM = "select d.id, d.webhook_id, d.event_id, d.event_type, d.attempts, w.url, w.secret,"
            + " e.rollout_id, e.created_at, cast(e.payload as text) from webhook_delivery d"
            + " join webhook w on w.id = d.webhook_id left join rollout_event e on e.id = d.event_id"
            + " where d.state = 'PENDING' and d.next_attempt_at <= ? order by d.next_attempt_at limit ?"
            + " for update of d skip locked";
    private static final String LEASE = "update webhook_delivery set attempts = attempts + 1, next_attempt_at = ?"
            + " where id = ?";
    /** Only the attempt that claimed the row may close it: a late sender whose lease ran out may not. */
    private static final String OUTCOME = "update webhook_delivery set state = ?, last_status = ?, last_error = ?,"
            + " next_attempt_at = ?, delivered_at = ? where id = ? and state = 'PENDING' and attempts = ?";

    private final WebhookConfig config;
    private final RetryPolicy retries;
    private final ObjectMapper json;
    private final Semaphore slots;
    private HttpClient http;
    private ScheduledExecutorService poller;
    private ExecutorService senders;

    WebhookDispatcher(WebhookConfig config, ObjectMapper json) {
        this.config = config;
        this.retries = RetryPolicy.of(config);
        this.json = json;
        this.slots = new Semaphore(Math.max(1, config.concurrency()));
    }

    /** A claimed delivery, with what sending it needs. */
    record Claim(UUID id, UUID hookId, Long eventId, String eventType, int attempt, String url, String secret,
            UUID rolloutId, OffsetDateTime at, String payload) {
    }

    void start(@Observes StartupEvent event) {
        http = HttpClient.newBuilder().connectTimeout(config.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        senders = Executors.newFixedThreadPool(Math.max(1, config.concurrency()), daemon("webhook-sender"));
        poller = Executors.newSingleThreadScheduledExecutor(daemon("webhook-poller"));
        long every = config.pollEvery().toMillis();
        poller.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (poller != null) {
            poller.shutdownNow();
            senders.shutdownNow();
        }
    }

    void poll() {
        try {
            int free = slots.availablePermits();
            if (free == 0) {
                return;
            }
            for (Claim c : claim(free)) {
                slots.acquireUninterruptibly();
                senders.execute(() -> {
                    try {
                        send(c);
                    } finally {
                        slots.release();
                    }
                });
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not claim webhook deliveries; trying again");
        }
    }

    /** Long enough for a send to end (connect, answer, body) before another replica may try again. */
    private Duration lease() {
        return config.requestTimeout().multipliedBy(3).plusSeconds(30);
    }

    private List<Claim> claim(int max) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Claim> out = new ArrayList<>();
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            Webhook.getEntityManager().unwrap(Session.class).doWork(c -> {
                try (PreparedStatement s = c.prepareStatement(CLAIM)) {
                    s.setObject(1, now);
                    s.setInt(2, max);
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            long id = rs.getLong(3);
                            Long eventId = rs.wasNull() ? null : id;
                            out.add(new Claim(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), eventId,
                                    rs.getString(4), rs.getInt(5) + 1, rs.getString(6),
                                    rs.getString(7), rs.getObject(8, UUID.class), rs.getObject(9, OffsetDateTime.class),
                                    rs.getString(10)));
                        }
                    }
                }
                try (PreparedStatement s = c.prepareStatement(LEASE)) {
                    for (Claim claim : out) {
                        s.setObject(1, now.plus(lease()));
                        s.setObject(2, claim.id());
                        s.addBatch();
                    }
                    s.executeBatch();
                }
            });
            return out;
        });
    }

    void send(Claim c) {
        Integer status = null;
        String error;
        if (c.eventId() != null && c.payload() == null) {
            finish(c, DeliveryState.FAILED, null, "the event is no longer kept (starling.events.retention)");
            return;
        }
        try {
            byte[] body = body(c, Instant.now());
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(c.url())).timeout(config.requestTimeout())
                    .header("Content-Type", "application/json").header("User-Agent", "Starling-Webhook/1")
                    .header(EVENT_HEADER, c.eventType()).header(DELIVERY_HEADER, c.id().toString())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (c.secret() != null) {
                request.header(Signature.HEADER, Signature.of(c.secret(), body));
            }
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            status = response.statusCode();
            if (status >= 200 && status < 300) {
                finish(c, DeliveryState.DELIVERED, status, null);
                return;
            }
            error = "HTTP " + status;
        } catch (IOException | RuntimeException e) {
            error = describe(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // shutting down: the lease runs out and the attempt is made again
        }
        finish(c, retries.delayAfter(c.attempt()) == null ? DeliveryState.FAILED : DeliveryState.PENDING, status, error);
    }

    /**
     * The event as the live feed shows it, plus the hook, the delivery and the time of this
     * attempt (inside the signed bytes, so a receiver can refuse old replays).
     */
    byte[] body(Claim c, Instant now) {
        ObjectNode body = json.createObjectNode().put("deliveryId", c.id().toString())
                .put("hookId", c.hookId().toString()).put("timestamp", now.toString()).put("attempt", c.attempt());
        ObjectNode event = body.putObject("event");
        if (c.eventId() == null) {
            event.put("type", c.eventType()).put("at", now.toString());
        } else {
            // The same fields, in the same order, as RolloutEventFeed's SSE data.
            event.put("id", c.eventId()).put("rolloutId", c.rolloutId().toString()).put("type", c.eventType())
                    .put("at", c.at().toInstant().toString());
            event.putRawValue("payload", new RawValue(c.payload()));
        }
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void finish(Claim c, DeliveryState state, Integer status, String error) {
        Instant now = Instant.now();
        Duration wait = state == DeliveryState.PENDING ? retries.delayAfter(c.attempt()) : null;
        try {
            QuarkusTransaction.requiringNew().run(() -> Webhook.getEntityManager().unwrap(Session.class).doWork(conn -> {
                try (PreparedStatement s = conn.prepareStatement(OUTCOME)) {
                    s.setString(1, state.name());
                    if (status == null) {
                        s.setNull(2, Types.INTEGER);
                    } else {
                        s.setInt(2, status);
                    }
                    s.setString(3, error == null ? null : error.substring(0, Math.min(error.length(), MAX_ERROR)));
                    s.setObject(4, wait == null ? null : OffsetDateTime.ofInstant(now.plus(wait), ZoneOffset.UTC));
                    s.setObject(5, state == DeliveryState.DELIVERED ? OffsetDateTime.ofInstant(now, ZoneOffset.UTC) : null);
                    s.setObject(6, c.id());
                    s.setInt(7, c.attempt());
                    s.executeUpdate();
                }
            }));
        } catch (RuntimeException e) {
            // The lease runs out and the attempt is made again: a repeat, never a loss.
            LOG.warnf(e, "Could not record webhook delivery %s (%s)", c.id(), state);
        }
        if (state == DeliveryState.FAILED) {
            LOG.warnf("Webhook delivery %s of %s event %s to hook %s failed after %d attempts: %s", c.id(), c.eventType(),
                    c.eventId(), c.hookId(), c.attempt(), error);
        }
    }

    /** Old log lines go; pending ones stay whatever their age. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void deleteOld() {
        OffsetDateTime before = OffsetDateTime.ofInstant(Instant.now().minus(config.retention()), ZoneOffset.UTC);
        int n = QuarkusTransaction.requiringNew().call(() -> Webhook.getEntityManager()
                .createNativeQuery("delete from webhook_delivery where state <> 'PENDING' and created_at < :before")
                .setParameter("before", before).executeUpdate());
        if (n > 0) {
            LOG.infof("Deleted %d webhook deliveries older than %s", n, config.retention());
        }
    }

    private static String describe(Throwable e) {
        String what = e.getClass().getSimpleName();
        return e.getMessage() == null ? what : what + ": " + e.getMessage();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return task -> {
            Thread t = new Thread(task, name);
            t.setDaemon(true);
            return t;
        };
    }
}
