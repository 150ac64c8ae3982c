package io.starling.controlplane.webhook;

import io.starling.controlplane.common.Ids;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Creates, lists and deletes webhooks, shows their delivery logs and queues pings. */
@ApplicationScoped
public class Webhooks {

    static final int MAX_LOG = 500;

    @Transactional
    public WebhookView create(WebhookRequest request, String by) {
        Webhook w = new Webhook();
        w.id = UUID.randomUUID();
        w.url = request.url().strip();
        w.events = request.events().toArray(String[]::new);
        w.secret = request.secret();
        w.createdAt = Instant.now();
        w.createdBy = by;
        w.persist();
        return WebhookView.of(w);
    }

    @Transactional
    public List<WebhookView> list() {
        return Webhook.<Webhook>list("order by createdAt, id").stream().map(WebhookView::of).toList();
    }

    @Transactional
    public WebhookView get(String id) {
        return WebhookView.of(find(id));
    }

    /** Its deliveries go with it (the foreign key cascades); one being sent right now may still arrive. */
    @Transactional
    public void delete(String id) {
        find(id).delete();
    }

    /** Newest first. */
    @Transactional
    public List<DeliveryView> deliveries(String id, int limit) {
        Webhook w = find(id);
        return WebhookDelivery.<WebhookDelivery>find("webhookId = ?1 order by createdAt desc, id", w.id)
                .page(0, Math.max(1, Math.min(limit, MAX_LOG))).list().stream().map(DeliveryView::of).toList();
    }

    /** A ping, sent like an event (signed, retried), for checking a receiver. */
    @Transactional
    public DeliveryView ping(String id) {
        Webhook w = find(id);
        WebhookDelivery d = new WebhookDelivery();
        d.id = UUID.randomUUID();
        d.webhookId = w.id;
        d.eventType = WebhookDelivery.PING;
        d.state = DeliveryState.PENDING;
        d.createdAt = Instant.now();
        d.nextAttemptAt = d.createdAt;
        d.persist();
        return DeliveryView.of(d);
    }

    private static Webhook find(String id) {
        UUID uuid = Ids.parse(id, "webhook");
        Webhook w = Webhook.findById(uuid);
        if (w == null) {
            throw Ids.notFound("webhook", id);
        }
        return w;
    }
}
