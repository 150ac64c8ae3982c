package io.starling.controlplane.webhook;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A webhook as an admin asks for it; {@link WebhookRequestCheck} names every bad field at once. */
@ValidWebhook
@Schema(description = "An HTTP endpoint that receives rollout events.", example = """
        {"url": "https://chat.example.com/hooks/rollouts", "events": ["rollout", "wave"],
         "secret": "a long random string the receiver also knows"}""")
public record WebhookRequest(
        @Schema(description = "Absolute http or https URL; redirects are not followed") String url,
        @Schema(description = "Event types to receive: rollout (state changes, pauses with their reason), wave,"
                + " deployment, summary") List<String> events,
        @Schema(description = "Key of the HMAC-SHA256 in X-Starling-Signature, at least "
                + WebhookRequestCheck.MIN_SECRET + " characters; absent: deliveries are not signed") String secret) {
}
