package io.starling.controlplane.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Counts anonymous refusals per method, path and status until they are drained into one audit
 * entry each. The number of keys is bounded: an attacker varying the path cannot grow the map,
 * the overflow is counted under {@link #OTHER}.
 */
final class RefusalTally {

    static final String OTHER = "(other paths)";

    record Key(String action, String target, int status) {
    }

    /** What was refused, how often, and over which span of time. */
    record Count(Key key, long calls, Instant first, Instant last, String detail) {
    }

    private static final class Slot {
        final AtomicLong calls = new AtomicLong();
        final Instant first;
        volatile Instant last;
        final String detail;

        Slot(Instant first, String detail) {
            this.first = first;
            this.last = first;
            this.detail = detail;
        }
    }

    private final int maxKeys;
    /** Counting shares the lock; draining takes it alone, so no count lands in a map already drained. */
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private Map<Key, Slot> slots = new ConcurrentHashMap<>();

    RefusalTally(int maxKeys) {
        this.maxKeys = maxKeys;
    }

    void count(String action, String target, int status, String detail, Instant at) {
        lock.readLock().lock();
        try {
            Key key = new Key(action, target, status);
            if (!slots.containsKey(key) && slots.size() >= maxKeys) {
                key = new Key(action, OTHER, status);
            }
            Slot slot = slots.computeIfAbsent(key, k -> new Slot(at, detail));
            slot.calls.incrementAndGet();
            slot.last = at;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Takes what was counted so far and starts afresh. */
    List<Count> drain() {
        Map<Key, Slot> taken;
        lock.writeLock().lock();
        try {
            taken = slots;
            slots = new ConcurrentHashMap<>();
        } finally {
            lock.writeLock().unlock();
        }
        List<Count> out = new ArrayList<>();
        taken.forEach((k, s) -> out.add(new Count(k, s.calls.get(), s.first, s.last, s.detail)));
        return out;
    }
}
