package io.starling.agent.swarm;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import org.libtorrent4j.swig.torrent_handle;
import org.libtorrent4j.swig.torrent_status;

/**
 * The swarm's housekeeping thread ({@code agent-swarm}): once a second it notices completions,
 * turns to the web seed when peers stall, settles byte counts, ends seed times and saves resume
 * data that changed; in between it runs the swarm's resume-file writes and deletions, in the
 * order they were handed over. Anything that would wait for libtorrent runs here, never on the
 * alert thread.
 */
final class SwarmHousekeeping implements Executor {

    private static final Logger LOG = Logger.getLogger(SwarmHousekeeping.class);

    private static final Duration RESUME_SAVE_INTERVAL = Duration.ofSeconds(30);
    private static final Duration TICK = Duration.ofSeconds(1);

    private final SwarmSettings settings;
    private final Supplier<Collection<SwarmDownload>> downloads;
    private final Supplier<SourceClassifier> classifier;
    private final BiPredicate<SwarmDownload, String> stop;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "agent-swarm");
        t.setDaemon(true);
        return t;
    });
    private volatile ScheduledFuture<?> tick;
    private volatile boolean stopped;
    private long ticks;

    /**
     * @param stop stops seeding a torrent, with why, for the log
     */
    SwarmHousekeeping(SwarmSettings settings, Supplier<Collection<SwarmDownload>> downloads,
                      Supplier<SourceClassifier> classifier, BiPredicate<SwarmDownload, String> stop) {
        this.settings = settings;
        this.downloads = downloads;
        this.classifier = classifier;
        this.stop = stop;
    }

    void start() {
        tick = thread.scheduleWithFixedDelay(this::passQuietly, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** No pass after the one running now, if any; tasks still run. */
    void stopPasses() {
        stopped = true;
        ScheduledFuture<?> t = tick;
        if (t != null) {
            t.cancel(false);
        }
    }

    /** Runs a task on the housekeeping thread; throws {@link RejectedExecutionException} once it is shut down. */
    @Override
    public void execute(Runnable task) {
        thread.execute(task);
    }

    /** Like {@link #execute}, but a task handed over after shutdown is dropped. */
    void runQuietly(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debugf("Swarm closed; dropped a housekeeping task");
        }
    }

    /** Runs what was handed over already, then ends the thread; false when that took longer than {@code timeout}. */
    boolean shutdown(Duration timeout) {
        thread.shutdown();
        try {
            return thread.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Drops every task not yet started, as a crash would. */
    void shutdownNow() {
        thread.shutdownNow();
    }

    /** Whether a torrent that completed at this time (epoch seconds, 0 for not yet) has seeded long enough. */
    boolean seedTimeOver(long completedEpochSeconds, Instant now) {
        Duration seedTime = settings.seedTime();
        return !seedTime.isZero() && completedEpochSeconds > 0
                && !Instant.ofEpochSecond(completedEpochSeconds).plus(seedTime).isAfter(now);
    }

    private void passQuietly() {
        try {
            pass();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Swarm housekeeping failed; trying again in %s", TICK);
        }
    }

    /**
     * Notices completions of torrents still downloading or checking (a status call each, nothing
     * for seeding ones), ends seed times, and every {@link #RESUME_SAVE_INTERVAL} saves resume
     * data of torrents that changed. An idle swarm costs one pass over a short map.
     */
    private void pass() {
        if (stopped) {
            return;
        }
        Instant now = Instant.now();
        boolean saveResume = ++ticks % (RESUME_SAVE_INTERVAL.toMillis() / TICK.toMillis()) == 0;
        for (SwarmDownload d : downloads.get()) {
            torrent_handle h = d.handle();
            if (h == null) {
                continue;
            }
            if (d.completedAt() == 0) {
                torrent_status st = h.status();
                if (st.getIs_finished() && SwarmDownload.state(st) != SwarmState.CHECKING) {
                    long completed = st.getCompleted_time();
                    d.completedAt(completed > 0 ? completed : now.getEpochSecond());
                    h.save_resume_data();
                } else if (d.useWebSeedsIfStalled(st, System.nanoTime(), settings.webSeedAfter())) {
                    LOG.infof("No progress from peers for %s: %s downloads from the web seed too", settings.webSeedAfter(), d);
                }
            }
            if (d.peerListWanted()) {
                d.readPeerList();
            }
            d.settle(classifier.get(), false);
            if (seedTimeOver(d.completedAt(), now)) {
                torrent_status st = h.status();
                if (st.getIs_finished() && SwarmDownload.state(st) != SwarmState.CHECKING) {
                    stop.test(d, "seed time of " + settings.seedTime() + " over");
                } else {
                    d.completedAt(0); // a recheck found a bad piece: seed again once it is whole
                }
            } else if (saveResume && h.need_save_resume_data()) {
                h.save_resume_data();
            }
        }
    }
}
