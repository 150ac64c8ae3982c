package io.starling.controlplane.webhook;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One event (or ping) owed to one hook, and how sending it went. Rows for events are written by
 * the database trigger of migration V10; {@link WebhookDispatcher} claims and updates them.
 */
@Entity
@Table(name = "webhook_delivery")
public class WebhookDelivery extends PanacheEntityBase {

    static final String PING = "ping";

    @Id
    public UUID id;

    @Column(name = "webhook_id", nullable = false)
    public UUID webhookId;

    @Column(name = "event_id")
    public Long eventId;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DeliveryState state;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "last_status")
    public Integer lastStatus;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "delivered_at")
    public Instant deliveredAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
