package io.starling.controlplane.rollout;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The rollouts' live feed ({@code GET /api/v1/rollouts/{id}/events}, {@code GET /api/v1/events}). */
@ConfigMapping(prefix = "starling.events")
public interface RolloutEventsConfig {

    /** How often each replica reads new events from the database and hands them to its clients. */
    @WithDefault("0.5s")
    Duration pollEvery();

    /** A comment line this often keeps proxies from closing a quiet stream. */
    @WithDefault("15s")
    Duration heartbeatEvery();

    /** While a rollout's deployments move, a summary of its counts at most this often. */
    @WithDefault("2s")
    Duration summaryEvery();

    /** Events older than this are deleted (hourly); a client resuming from before then misses them. */
    @WithDefault("30d")
    Duration retention();

    /** A client this many events behind is disconnected; it resumes with Last-Event-ID. */
    @WithDefault("10000")
    int clientBuffer();
}
