package io.starling.controlplane.webhook;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An HTTP endpoint that receives some types of rollout events. */
@Entity
@Table(name = "webhook")
public class Webhook extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String url;

    /** rollout_event types; the database's trigger enqueues a delivery for each matching event. */
    @Column(nullable = false, columnDefinition = "text[]")
    public String[] events;

    /** Never leaves the control plane except as the key of each delivery's signature. */
    public String secret;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;
}
