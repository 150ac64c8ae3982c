package io.starling.controlplane.catalog;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

@Entity
@Table(name = "release")
public class Release extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    /**
     * Optimistic lock: every write of a row checks it was not changed since it was read. Code that
     * decides on the state reads it under a row lock; this turns any path that does not into a
     * refused write (409) instead of a silently lost update.
     */
    @Version
    @Column(name = "row_version", nullable = false)
    long rowVersion;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "product_id")
    public Product product;

    @Column(nullable = false)
    public String version;

    public String notes;

    /** The install section as canonical JSON, exactly as it goes into the manifest. */
    @Column(name = "install_json")
    public String installJson;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private ReleaseState state = ReleaseState.DRAFT;

    public Long sequence;

    /** The exact signed bytes; agents and openssl verify these, so they are never re-serialised. */
    public byte[] manifest;

    @Column(name = "manifest_sig")
    public byte[] manifestSignature;

    @Column(name = "key_id")
    public String keyId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "published_at")
    public Instant publishedAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @OneToMany(mappedBy = "release", fetch = FetchType.LAZY)
    @OrderBy("name")
    public List<Artifact> artifacts = new ArrayList<>();

    public ReleaseState state() {
        return state;
    }

    /** The only way a release changes state: through the transition table. */
    public void moveTo(ReleaseState next) {
        state = state.transitionTo(next);
    }

    public static Optional<Release> find(String product, String version) {
        return find("product.name = ?1 and version = ?2", product, version).firstResultOptional();
    }

    public static List<Release> ofProduct(String product) {
        return list("product.name = ?1 order by createdAt desc, id desc", product);
    }
}
