package io.starling.controlplane.signing;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/** A key set the root signed, as an admin uploaded it. The highest version is in force. */
@Entity
@Table(name = "key_set")
public class KeySetUpload extends PanacheEntityBase {

    @Id
    public long version;

    @Column(nullable = false)
    public byte[] document;

    @Column(nullable = false)
    public byte[] signature;

    @Column(name = "uploaded_at", nullable = false)
    public Instant uploadedAt;

    @Column(name = "uploaded_by", nullable = false)
    public String uploadedBy;

    public static Optional<KeySetUpload> latest() {
        return find("order by version desc").firstResultOptional();
    }
}
