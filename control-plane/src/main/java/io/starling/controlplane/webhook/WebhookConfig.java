package io.starling.controlplane.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Webhook deliveries: how often and how long to try ({@code starling.webhooks.*}). */
@ConfigMapping(prefix = "starling.webhooks")
public interface WebhookConfig {

    /** Attempts per delivery, the first included; after the last failed one the delivery is FAILED. */
    @WithDefault("8")
    int attempts();

    /** The wait after the first failed attempt; it doubles after each further one. */
    @WithDefault("10s")
    Duration initialDelay();

    /** The longest wait between two attempts. */
    @WithDefault("1h")
    Duration maxDelay();

    /** How long a receiver may take to connect and answer before the attempt counts as failed. */
    @WithDefault("10s")
    Duration requestTimeout();

    /** How often each replica looks for due deliveries. */
    @WithDefault("1s")
    Duration pollEvery();

    /** Deliveries one replica sends at the same time; a slow receiver holds one of them at most a timeout. */
    @WithDefault("4")
    int concurrency();

    /** Delivered and failed deliveries older than this leave the log (hourly). */
    @WithDefault("30d")
    Duration retention();
}
