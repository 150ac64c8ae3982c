package io.starling.controlplane.audit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How much the audit trail may hold in memory while the database catches up. */
@ConfigMapping(prefix = "starling.audit")
public interface AuditConfig {

    /**
     * Entries waiting for the writer thread (calls refused on the event loop, before a worker
     * thread). Past it entries are counted and dropped, and the count itself is recorded once the
     * queue drains: a flood of refused calls must not fill the heap.
     */
    @WithDefault("10000")
    int queueCapacity();

    /**
     * Anonymous refusals (no token, a bad enrollment token) are counted per method, path and
     * status over this window and written as one entry, so that a scanner knocking on every URL
     * costs a few rows per window instead of one per request.
     */
    @WithDefault("10s")
    Duration refusalWindow();

    /** Distinct method/path/status keys tallied per window; the rest are counted under one "other" key. */
    @WithDefault("200")
    int refusalKeys();
}
