package io.starling.controlplane.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A webhook as the API shows it: whether it has a secret, never the secret. */
@Schema(example = """
        {"id": "3f0c2a51-9d4e-4b7a-8e21-6c5d4f3b2a10", "url": "https://chat.example.com/hooks/rollouts",
         "events": ["rollout"], "secretSet": true, "createdAt": "2026-12-06T09:00:00Z", "createdBy": "admin"}""")
public record WebhookView(UUID id, String url, List<String> events, boolean secretSet, Instant createdAt,
        String createdBy) {

    static WebhookView of(Webhook w) {
        return new WebhookView(w.id, w.url, List.of(w.events), w.secret != null, w.createdAt, w.createdBy);
    }
}
