package io.starling.controlplane.peertls;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The one swarm CA of this fleet (V20__swarm_ca.sql). */
@Entity
@Table(name = "swarm_ca")
public class SwarmCaRow extends PanacheEntityBase {

    static final short ID = 1;

    @Id
    public Short id;

    @Column(nullable = false)
    public String certificate;

    /** Never leaves the control plane. */
    @Column(name = "private_key", nullable = false)
    public String privateKey;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
