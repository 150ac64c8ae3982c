package io.starling.controlplane.catalog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

@Entity
@Table(name = "product")
public class Product extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, unique = true)
    public String name;

    public String description;

    /** The last manifest sequence number handed out; manifests of a product only ever grow. */
    @Column(name = "last_sequence", nullable = false)
    public long lastSequence;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    public static Optional<Product> byName(String name) {
        return find("name", name).firstResultOptional();
    }

    /** Row lock, so that two publishers of the same product never get the same sequence. */
    public static Optional<Product> byNameForUpdate(String name) {
        return find("name", name).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    public long nextSequence() {
        lastSequence += 1;
        return lastSequence;
    }
}
