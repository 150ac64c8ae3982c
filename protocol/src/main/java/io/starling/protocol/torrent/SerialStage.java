package io.starling.protocol.torrent;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs work items strictly in submission order, one at a time, on a shared executor: the
 * whole-file SHA-256 must see pieces in order, but need not own a thread.
 */
final class SerialStage<T> {

    private final Executor executor;
    private final Consumer<T> work;
    private final Queue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();

    SerialStage(Executor executor, Consumer<T> work) {
        this.executor = executor;
        this.work = work;
    }

    void submit(T item) {
        queue.add(item);
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        T item;
        while ((item = queue.poll()) != null) {
            work.accept(item);
        }
        scheduled.set(false);
        if (!queue.isEmpty()) { // an item arrived between the last poll and the reset
            schedule();
        }
    }
}
