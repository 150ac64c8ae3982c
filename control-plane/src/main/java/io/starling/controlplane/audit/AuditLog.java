package io.starling.controlplane.audit;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.BlockingOperationControl;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Appends audit entries in their own transaction, so that a failed call is recorded even though
 * its own transaction rolled back.
 */
@ApplicationScoped
public class AuditLog {

    private static final Logger LOG = Logger.getLogger(AuditLog.class);

    /** Calls refused before reaching a worker thread (e.g. 401/403 on the event loop) are written here. */
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "audit-writer");
        t.setDaemon(true);
        return t;
    });

    public void record(String actor, String action, String target, int status, String detail) {
        AuditEntry e = new AuditEntry();
        e.at = Instant.now();
        e.actor = truncate(actor, 255);
        e.action = action;
        e.target = truncate(target, 1000);
        e.status = status;
        e.outcome = status < 400 ? "SUCCESS" : status == 401 || status == 403 ? "DENIED" : "FAILURE";
        e.detail = truncate(detail, 1000);
        if (BlockingOperationControl.isBlockingAllowed()) {
            persist(e);
        } else {
            writer.execute(() -> persist(e));
        }
    }

    public List<AuditView> recent(int limit, String actor) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var query = actor == null
                    ? AuditEntry.<AuditEntry>find("order by id desc")
                    : AuditEntry.<AuditEntry>find("actor = ?1 order by id desc", actor);
            return query.page(0, limit).list().stream().map(AuditView::of).toList();
        });
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
