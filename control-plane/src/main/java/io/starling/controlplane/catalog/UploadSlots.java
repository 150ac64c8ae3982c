package io.starling.controlplane.catalog;

import io.starling.controlplane.common.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bodies streaming in at the same time, whole artifacts and parts alike: each holds network
 * buffers and piece buffers, so a burst queues here instead of running the control plane out of
 * memory. Fair, so that the longest-waiting body goes next.
 */
@ApplicationScoped
public class UploadSlots {

    private final CatalogConfig config;
    private final Semaphore slots;

    UploadSlots(CatalogConfig config) {
        this.config = config;
        this.slots = new Semaphore(Math.max(1, config.concurrentUploads()), true);
    }

    /** Waits for a slot up to starling.catalog.upload-slot-wait; 503 after that. Release it in a finally. */
    void acquire() {
        boolean acquired;
        try {
            acquired = slots.tryAcquire(config.uploadSlotWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new DomainException.Unavailable("Already " + config.concurrentUploads()
                    + " uploads are streaming in (starling.catalog.concurrent-uploads) and none finished within "
                    + config.uploadSlotWait().toSeconds() + " s; nothing was stored. Try again later.");
        }
    }

    void release() {
        slots.release();
    }
}
