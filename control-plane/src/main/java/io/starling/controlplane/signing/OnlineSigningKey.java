package io.starling.controlplane.signing;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A manifest signing key made for rotation ({@code POST /signing-keys}); agents trust it once the root lists it. */
@Entity
@Table(name = "signing_key")
public class OnlineSigningKey extends PanacheEntityBase {

    @Id
    @Column(name = "key_id")
    public String keyId;

    @Column(name = "public_key", nullable = false)
    public String publicKey;

    /** Never leaves the control plane. */
    @Column(name = "private_key", nullable = false)
    public String privateKey;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;
}
