package io.starling.controlplane.webhook;

import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One line of a hook's delivery log. */
@Schema(example = """
        {"id": "8b1d6e2f-0a3c-4d5e-9f60-7a8b9c0d1e2f", "eventId": 4711, "eventType": "rollout", "state": "PENDING",
         "attempts": 2, "lastStatus": 502, "lastError": "HTTP 502", "nextAttemptAt": "2026-12-06T09:00:30Z",
         "createdAt": "2026-12-06T09:00:00Z"}""")
public record DeliveryView(UUID id, Long eventId, String eventType, DeliveryState state, int attempts, Integer lastStatus,
        String lastError, @Schema(description = "While PENDING: when the next attempt is due") Instant nextAttemptAt,
        Instant deliveredAt, Instant createdAt) {

    static DeliveryView of(WebhookDelivery d) {
        return new DeliveryView(d.id, d.eventId, d.eventType, d.state, d.attempts, d.lastStatus, d.lastError,
                d.state == DeliveryState.PENDING ? d.nextAttemptAt : null, d.deliveredAt, d.createdAt);
    }
}
