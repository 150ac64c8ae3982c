package io.starling.agent.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Deployments waiting in DOWNLOADED for a window to open or a deadline to pass: each runs again
 * at its time, besides at every check-in, so that a window opens on time however far apart
 * check-ins are. One pending wake-up per deployment; the latest replaces the earlier.
 */
final class WakeUps {

    /** Runs this long after its time, so that it is past it even by a coarse clock. */
    private static final Duration MARGIN = Duration.ofMillis(100);

    private final ScheduledExecutorService executor;
    private final ServerClock serverClock;
    private final Consumer<String> run;
    private final Map<String, ScheduledFuture<?>> pending = new ConcurrentHashMap<>();

    /** @param run what to do with a deployment's id at its time */
    WakeUps(ScheduledExecutorService executor, ServerClock serverClock, Consumer<String> run) {
        this.executor = executor;
        this.serverClock = serverClock;
        this.run = run;
    }

    /** @param at by the control plane's clock */
    void at(String deploymentId, Instant at) {
        long delay = Math.max(0, serverClock.until(at).plus(MARGIN).toMillis());
        try {
            ScheduledFuture<?> wake = executor.schedule(() -> {
                pending.remove(deploymentId);
                run.accept(deploymentId);
            }, delay, TimeUnit.MILLISECONDS);
            cancelled(pending.put(deploymentId, wake));
        } catch (RejectedExecutionException e) {
            // Shutting down.
        }
    }

    void cancel(String deploymentId) {
        cancelled(pending.remove(deploymentId));
    }

    private static void cancelled(ScheduledFuture<?> wake) {
        if (wake != null) {
            wake.cancel(false);
        }
    }
}
