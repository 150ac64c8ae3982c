package io.starling.controlplane.audit;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import io.quarkus.runtime.BlockingOperationControl;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Appends audit entries in their own transaction, so that a failed call is recorded even though
 * its own transaction rolled back. What anyone without a token can trigger is bounded: anonymous
 * refusals are tallied into one entry per window, and the queue of entries written from the
 * event loop has a capacity, past which entries are counted as dropped (and that count recorded).
 */
@ApplicationScoped
public class AuditLog {

    static final String ANONYMOUS = "anonymous";
    private static final Logger LOG = Logger.getLogger(AuditLog.class);

    /** Calls refused before reaching a worker thread (e.g. 401/403 on the event loop) are written here. */
    private final ThreadPoolExecutor writer;
    private final RefusalTally refusals;
    private final AtomicLong dropped = new AtomicLong();

    AuditLog(AuditConfig config) {
        writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(config.queueCapacity()),
                r -> {
                    Thread t = new Thread(r, "audit-writer");
                    t.setDaemon(true);
                    return t;
                }, (task, pool) -> dropped.incrementAndGet());
        refusals = new RefusalTally(config.refusalKeys());
    }

    public void record(String actor, String action, String target, int status, String detail) {
        Instant now = Instant.now();
        if (ANONYMOUS.equals(actor) && status >= 400) {
            refusals.count(action, truncate(target, 1000), status, truncate(detail, 1000), now);
            return;
        }
        write(entry(now, actor, action, target, status, detail));
    }

    /** Writes the anonymous refusals counted since the last window, and how many entries the full queue dropped. */
    @Scheduled(every = "${starling.audit.refusal-window:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void flushTallies() {
        for (RefusalTally.Count c : refusals.drain()) {
            String detail = c.calls() == 1 ? c.detail()
                    : c.calls() + " calls refused between " + c.first() + " and " + c.last()
                            + (c.detail() == null ? "" : "; the first: " + c.detail());
            persist(entry(c.last(), ANONYMOUS, c.key().action(), c.key().target(), c.key().status(), detail));
        }
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            LOG.warnf("The audit queue was full: %d entries were dropped", lost);
            persist(entry(Instant.now(), "starling", "AUDIT", "/api/v1/audit", 503,
                    lost + " audit entries were dropped: the audit queue was full"));
        }
    }

    private void write(AuditEntry e) {
        if (BlockingOperationControl.isBlockingAllowed()) {
            persist(e);
        } else {
            writer.execute(() -> persist(e));
        }
    }

    private static AuditEntry entry(Instant at, String actor, String action, String target, int status,
            String detail) {
        AuditEntry e = new AuditEntry();
        e.at = at;
        e.actor = truncate(actor, 255);
        e.action = action;
        e.target = truncate(target, 1000);
        e.status = status;
        e.outcome = status < 400 ? "SUCCESS" : status == 401 || status == 403 ? "DENIED" : "FAILURE";
        e.detail = truncate(detail, 1000);
        return e;
    }

    /** Newest first; page on with the id of the last entry as {@link AuditQuery#before()}. */
    public List<AuditView> recent(AuditQuery q) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (q.actor() != null) {
            where.add("actor = :actor");
            params.put("actor", q.actor());
        }
        if (q.action() != null) {
            where.add("action = :action");
            params.put("action", q.action());
        }
        if (q.from() != null) {
            where.add("at >= :from");
            params.put("from", q.from());
        }
        if (q.to() != null) {
            where.add("at < :to");
            params.put("to", q.to());
        }
        if (q.before() != null) {
            where.add("id < :before");
            params.put("before", q.before());
        }
        return QuarkusTransaction.requiringNew().call(() -> AuditEntry.<AuditEntry>find(String.join(" and ", where),
                Sort.descending("id"), params).page(0, q.limit()).list().stream().map(AuditView::of).toList());
    }

    private static void persist(AuditEntry e) {
        try {
            QuarkusTransaction.requiringNew().run(e::persist);
        } catch (RuntimeException ex) {
            // Never fail the caller's request because the audit write failed; shout in the log.
            LOG.errorf(ex, "Audit entry lost: %s %s %s -> %d", e.actor, e.action, e.target, e.status);
        }
    }

    @PreDestroy
    void close() throws InterruptedException {
        flushTallies();
        writer.shutdown();
        writer.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** PostgreSQL text cannot hold NUL, and control characters have no place in an audit trail. */
    private static String truncate(String s, int max) {
        if (s == null) {
            return null;
        }
        String clean = s.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() <= max ? clean : clean.substring(0, max);
    }
}
