package io.starling.controlplane.rollout;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.starling.controlplane.common.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Brings new rollout events to this replica's clients: one poller reads the table every
 * {@code starling.events.poll-every} and fans each event out in memory, however many clients
 * listen. The table is the only source, so a client may resume on any replica, after a restart.
 *
 * <p>Event ids come from a sequence, taken when a row is inserted; transactions commit in another
 * order. Were the feed to hand out event 7 while event 6's transaction is still open, a client
 * resuming after 7 would never see 6. So the feed stops at a missing id until it knows: a
 * transaction that took the id had it before the newer row was visible, so it was running when
 * the feed first missed it; once PostgreSQL's oldest running transaction is younger than that
 * moment's snapshot, the id either is visible or never will be (a rollback). Every writer of
 * events holds a row lock first, so it has its transaction id before it takes an event id.
 * Replays read the table up to the same point, so a client sees each event once, in id order.
 */
@ApplicationScoped
public class RolloutEventFeed {

    private static final Logger LOG = Logger.getLogger(RolloutEventFeed.class);
    private static final int PAGE = 500;
    private static final String COLUMNS = "id, rollout_id, type, created_at, cast(payload as text)";
    /** The rows after an id, with the snapshot they were read in (its oldest running transaction, next id). */
    private static final String POLL = "select e.*, cast(pg_snapshot_xmin(s.snap) as text), cast(pg_snapshot_xmax(s.snap)"
            + " as text) from (select pg_current_snapshot() as snap) s left join lateral (select " + COLUMNS
            + " from rollout_event where id > ? order by id limit " + PAGE + ") e on true order by e.id";

    private final AgroalDataSource db;
    private final ObjectMapper json;
    private final RolloutEventsConfig config;
    private final RolloutSummaries summaries;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    /** Guards {@link #delivered} and the hand-over to subscribers, so that a new one misses nothing. */
    private final Object lock = new Object();
    /** Every event up to this id has been handed out (or will never exist); -1 before the first read. */
    private long delivered = -1;
    /** Missing id → the next transaction id when the poller first missed it. Poller thread only. */
    private final Map<Long, Long> gaps = new HashMap<>();
    private ScheduledExecutorService ticker;

    RolloutEventFeed(AgroalDataSource db, ObjectMapper json, RolloutEventsConfig config, RolloutSummaries summaries) {
        this.db = db;
        this.json = json;
        this.config = config;
        this.summaries = summaries;
    }

    /** A client's stream. */
    final class Subscription {
        private final Subscriber subscriber;
        private final List<RolloutEvent> replay;

        private Subscription(Subscriber subscriber, List<RolloutEvent> replay) {
            this.subscriber = subscriber;
            this.replay = replay;
        }

        /** The replay, then every new event as it commits; ends (with a failure) if the client falls too far behind. */
        private Multi<RolloutEvent> events() {
            Multi<RolloutEvent> live = Multi.createFrom().<RolloutEvent>emitter(subscriber::attach, config.clientBuffer());
            return Multi.createBy().concatenating().streams(Multi.createFrom().iterable(replay), live);
        }

        /**
         * As Server-Sent Events: a first comment, so that the client knows at once that it is
         * connected (the response's headers leave with it); then the events, and a comment every
         * {@code heartbeat} so that proxies keep a quiet stream open.
         */
        Multi<OutboundSseEvent> toSse(Sse sse, Duration heartbeat) {
            Multi<OutboundSseEvent> events = events()
                    .map(e -> sse.newEventBuilder().id(Long.toString(e.id())).name(e.type()).data(e.data()).build());
            Multi<OutboundSseEvent> heartbeats = Multi.createFrom().ticks().every(heartbeat)
                    .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
            return Multi.createBy().concatenating().streams(
                            Multi.createFrom().item(sse.newEventBuilder().comment("connected").build()),
                            Multi.createBy().merging().streams(events, heartbeats))
                    .onTermination().invoke(() -> subscribers.remove(subscriber));
        }
    }

    /**
     * Opens a client's stream: the events after {@code after} (none when null), then the new ones.
     *
     * @param rolloutId null for every rollout
     */
    Subscription open(UUID rolloutId, Long after) {
        if (rolloutId != null && !exists(rolloutId)) {
            throw new DomainException.NotFound("No rollout " + rolloutId + ".");
        }
        // Live events up to here are either replayed or, without a cursor, came before the client:
        // also when this replica's poller is behind the table, or behind the replica that gave
        // the client its Last-Event-ID.
        Subscriber s = new Subscriber(rolloutId, after == null ? newest() : after, config.clientBuffer());
        long upTo;
        synchronized (lock) {
            if (delivered < 0) {
                delivered = newest();
            }
            upTo = delivered;
            subscribers.add(s);
        }
        try {
            return new Subscription(s, after == null || after >= upTo ? List.of() : replay(rolloutId, after, upTo));
        } catch (RuntimeException e) {
            subscribers.remove(s);
            throw e;
        }
    }

    /**
     * The poller and the summaries run on two threads of their own: Quarkus' scheduler ticks at
     * most once a second, and a summary waiting for a rollout's lock must not hold up the feed.
     */
    void start(@Observes StartupEvent event) {
        ticker = Executors.newScheduledThreadPool(2, task -> {
            Thread t = new Thread(task, "rollout-events");
            t.setDaemon(true);
            return t;
        });
        long every = config.pollEvery().toMillis();
        ticker.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
        ticker.scheduleWithFixedDelay(summaries::writeDue, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }

    void poll() {
        try {
            while (pollOnce()) {
                // a full page: there may be more
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warnf(e, "Could not read new rollout events; trying again");
        }
    }

    /** @return whether a full page was read */
    private boolean pollOnce() throws SQLException {
        long from;
        synchronized (lock) {
            if (delivered < 0) {
                delivered = newest();
            }
            from = delivered;
        }
        List<RolloutEvent> ready = new ArrayList<>();
        long next = from + 1;
        int rows = 0;
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(POLL)) {
            s.setLong(1, from);
            try (ResultSet rs = s.executeQuery()) {
                boolean blocked = false;
                while (rs.next() && !blocked) {
                    long xmin = Long.parseLong(rs.getString(6));
                    long xmax = Long.parseLong(rs.getString(7));
                    if (rs.getObject(1) == null) {
                        break;
                    }
                    rows++;
                    long id = rs.getLong(1);
                    // Every id missing before a visible one was taken before it, by a transaction running now or ended.
                    for (long missing = next; missing < id; missing++) {
                        gaps.putIfAbsent(missing, xmax);
                    }
                    while (next < id && !blocked) {
                        if (xmin >= gaps.get(next)) {
                            gaps.remove(next);
                            next++;
                        } else {
                            blocked = true;
                        }
                    }
                    if (!blocked) {
                        gaps.remove(id);
                        ready.add(event(rs));
                        next = id + 1;
                    }
                }
            }
        }
        if (!ready.isEmpty()) {
            synchronized (lock) {
                for (RolloutEvent e : ready) {
                    for (Subscriber s : subscribers) {
                        s.offer(e);
                    }
                }
                delivered = ready.get(ready.size() - 1).id();
            }
            ready.forEach(summaries::seen);
        }
        return rows == PAGE && !ready.isEmpty();
    }

    private List<RolloutEvent> replay(UUID rolloutId, long after, long upTo) {
        String sql = "select " + COLUMNS + " from rollout_event where id > ? and id <= ?"
                + (rolloutId == null ? "" : " and rollout_id = ?") + " order by id limit " + PAGE;
        List<RolloutEvent> out = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            long from = after;
            while (true) {
                s.setLong(1, from);
                s.setLong(2, upTo);
                if (rolloutId != null) {
                    s.setObject(3, rolloutId);
                }
                int n = 0;
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        RolloutEvent e = event(rs);
                        out.add(e);
                        from = e.id();
                        n++;
                    }
                }
                if (n < PAGE) {
                    return out;
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read rollout events", e);
        }
    }

    private RolloutEvent event(ResultSet rs) throws SQLException {
        long id = rs.getLong(1);
        UUID rollout = rs.getObject(2, UUID.class);
        String type = rs.getString(3);
        var data = json.createObjectNode().put("id", id).put("rolloutId", rollout.toString()).put("type", type)
                .put("at", rs.getObject(4, OffsetDateTime.class).toInstant().toString());
        // Parsed rather than copied: jsonb's text puts a space after every colon and comma, and
        // a data line is documented (and grepped) as compact JSON like the rest of the event.
        try {
            data.set("payload", json.readTree(rs.getString(5)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Rollout event " + id + " holds no JSON", e);
        }
        return new RolloutEvent(id, rollout, type, data.toString());
    }

    private boolean exists(UUID rolloutId) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select 1 from rollout where id = ?")) {
            s.setObject(1, rolloutId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not look up rollout " + rolloutId, e);
        }
    }

    /**
     * The newest event id, where a replica's feed starts. (An event of a transaction open at that
     * moment with a smaller id reaches only clients that connect after it commits: the gap rule
     * above applies from the first read on.)
     */
    private long newest() {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select coalesce(max(id), 0) from rollout_event");
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the newest rollout event", e);
        }
    }

    /** One client: what it wants, and what arrived while its replay was still being sent. */
    private static final class Subscriber {
        private final UUID rolloutId;
        private final long after;
        private final int limit;
        private final Deque<RolloutEvent> early = new ArrayDeque<>();
        private MultiEmitter<? super RolloutEvent> emitter;
        private boolean overflowed;

        Subscriber(UUID rolloutId, long after, int limit) {
            this.rolloutId = rolloutId;
            this.after = after;
            this.limit = limit;
        }

        synchronized void offer(RolloutEvent e) {
            if (e.id() <= after || rolloutId != null && !rolloutId.equals(e.rolloutId())) {
                return;
            }
            if (emitter != null) {
                emitter.emit(e);
            } else if (early.size() < limit) {
                early.add(e);
            } else {
                overflowed = true;
            }
        }

        synchronized void attach(MultiEmitter<? super RolloutEvent> emitter) {
            if (overflowed) {
                emitter.fail(new IllegalStateException("the client fell too far behind; it may resume"));
                return;
            }
            early.forEach(emitter::emit);
            early.clear();
            this.emitter = emitter;
        }
    }
}
