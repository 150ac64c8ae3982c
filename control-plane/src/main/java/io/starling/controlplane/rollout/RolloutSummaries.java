package io.starling.controlplane.rollout;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Follows the feed and asks for a summary of each rollout whose deployments, waves or state moved
 * since its last summary. The feed brings every replica every change, wherever it was made, so
 * no change goes without a summary after it; the recorder decides under the rollout's lock
 * whether one is due, so replicas write one between them.
 */
@ApplicationScoped
public class RolloutSummaries {

    private static final Logger LOG = Logger.getLogger(RolloutSummaries.class);

    /** Rollout → the latest change seen that no summary covers yet. */
    private final Map<UUID, Long> unsummarised = new ConcurrentHashMap<>();
    /** Rollout → when its latest summary was seen (System.nanoTime), for as long as that keeps the next one off. */
    private final Map<UUID, Long> lastSummary = new ConcurrentHashMap<>();
    private final RolloutEventRecorder recorder;
    private final long every;

    RolloutSummaries(RolloutEventRecorder recorder, RolloutEventsConfig config) {
        this.recorder = recorder;
        this.every = config.summaryEvery().toNanos();
    }

    void seen(RolloutEvent e) {
        if (RolloutEventRecorder.SUMMARY.equals(e.type())) {
            lastSummary.put(e.rolloutId(), System.nanoTime());
            unsummarised.computeIfPresent(e.rolloutId(), (id, latest) -> latest < e.id() ? null : latest);
        } else {
            unsummarised.put(e.rolloutId(), e.id());
        }
    }

    /** Run by the feed's ticker. */
    void writeDue() {
        long now = System.nanoTime();
        lastSummary.values().removeIf(seen -> now - seen >= every);
        for (Map.Entry<UUID, Long> pending : unsummarised.entrySet()) {
            Long last = lastSummary.get(pending.getKey());
            if (last != null && now - last < every) {
                continue; // not due yet, as far as this replica has seen: no need to ask under the lock
            }
            try {
                if (recorder.summarise(pending.getKey())) {
                    // Only if nothing newer arrived meanwhile: that one needs a summary of its own.
                    unsummarised.remove(pending.getKey(), pending.getValue());
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "Could not write the summary of rollout %s; trying again", pending.getKey());
            }
        }
    }
}
