package io.starling.controlplane.tracker;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Passkeys as the tracker sees them, in memory: announces run on the event loop and may not
 * wait for the database. Changes made here are visible at once; changes made by another
 * control-plane replica arrive with the periodic refresh.
 */
@ApplicationScoped
public class PasskeyDirectory {

    record Entry(long id, String owner, String site, boolean active) {
    }

    private volatile Map<String, Entry> entries = Map.of();

    Entry find(String passkey) {
        return passkey == null ? null : entries.get(passkey);
    }

    void put(Passkey p) {
        Map<String, Entry> copy = new ConcurrentHashMap<>(entries);
        copy.put(p.value, entry(p));
        entries = copy;
    }

    @Scheduled(every = "${starling.tracker.passkey-refresh:10s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        List<Passkey> all = QuarkusTransaction.requiringNew().call(() -> Passkey.<Passkey>listAll());
        Map<String, Entry> fresh = new ConcurrentHashMap<>(all.size() * 2);
        all.forEach(p -> fresh.put(p.value, entry(p)));
        entries = fresh;
    }

    private static Entry entry(Passkey p) {
        return new Entry(p.id, p.owner, p.site, p.active());
    }
}
