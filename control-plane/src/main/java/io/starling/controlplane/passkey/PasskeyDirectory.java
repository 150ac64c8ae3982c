package io.starling.controlplane.passkey;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.starling.controlplane.common.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Passkeys as the tracker sees them, in memory: announces run on the event loop and may not
 * wait for the database. Changes made here are visible at once; changes made by another
 * control-plane replica arrive with the periodic refresh.
 */
@ApplicationScoped
public class PasskeyDirectory {

    /**
     * What the tracker and web seed need of a passkey: its owner and site, whether it still
     * counts, and the agent it belongs to (null: a person's).
     */
    public record Entry(long id, String owner, String site, boolean active, UUID agentId, long knownSinceMillis) {
    }

    /** A refresh may have read the database just before this replica's own change committed. */
    private static final long GRACE_MILLIS = 60_000;

    private volatile Map<String, Entry> entries = Map.of();

    /** @return the passkey as last known, or null for an unknown one */
    public Entry find(String passkey) {
        return passkey == null ? null : entries.get(passkey);
    }

    /**
     * For the web seed, which BitTorrent clients call once per range: answered from memory, like
     * an announce, not with a database query per request.
     *
     * @return the passkey as last known
     * @throws DomainException.Forbidden when the passkey is unknown or revoked
     */
    public Entry requireActive(String passkey) {
        Entry e = find(passkey);
        if (e == null) {
            throw new DomainException.Forbidden("Unknown passkey.");
        }
        if (!e.active()) {
            throw new DomainException.Forbidden("This passkey has been revoked.");
        }
        return e;
    }

    synchronized void put(Passkey p) {
        Map<String, Entry> copy = new ConcurrentHashMap<>(entries);
        copy.put(p.value, entry(p));
        entries = copy;
    }

    @Scheduled(every = "${starling.tracker.passkey-refresh:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public synchronized void refresh() {
        List<Passkey> all = QuarkusTransaction.requiringNew().call(() -> Passkey.<Passkey>listAll());
        Map<String, Entry> fresh = new ConcurrentHashMap<>(all.size() * 2);
        all.forEach(p -> fresh.put(p.value, entry(p)));
        // What this replica changed meanwhile wins: a revocation is never undone, and a passkey
        // created a moment ago may not have been visible to the read above.
        long now = System.currentTimeMillis();
        entries.forEach((key, local) -> {
            Entry read = fresh.get(key);
            if (read == null && now - local.knownSinceMillis() < GRACE_MILLIS) {
                fresh.put(key, local);
            } else if (read != null && read.active() && !local.active()) {
                fresh.put(key, local);
            }
        });
        entries = fresh;
    }

    private static Entry entry(Passkey p) {
        return new Entry(p.id, p.owner, p.site, p.active(), p.agentId, System.currentTimeMillis());
    }
}
