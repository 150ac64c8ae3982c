package io.starling.controlplane.catalog;

import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.common.Names;
import io.starling.protocol.manifest.CanonicalJson;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** Products and draft releases: creating and reading them. Publishing lives in {@code signing}. */
@ApplicationScoped
public class Catalog {

    private final Event<ReleaseEvent> events;

    Catalog(Event<ReleaseEvent> events) {
        this.events = events;
    }

    @Transactional
    public ProductView createProduct(ProductRequest request, String actor) {
        Names.product(request.name());
        if (Product.byName(request.name()).isPresent()) {
            throw new DomainException.Conflict("Product '" + request.name() + "' already exists.");
        }
        Product p = new Product();
        p.name = request.name();
        p.description = request.description();
        p.createdAt = Instant.now();
        p.createdBy = actor;
        p.persist();
        return ProductView.of(p);
    }

    @Transactional
    public List<ProductView> products() {
        return Product.<Product>list("order by name").stream().map(ProductView::of).toList();
    }

    @Transactional
    public ProductView product(String name) {
        return ProductView.of(requireProduct(name));
    }

    @Transactional
    public ReleaseView createRelease(String productName, ReleaseRequest request, String actor) {
        Product product = requireProduct(productName);
        Names.version(request.version());
        InstallSpecs.validate(request.install());
        if (Release.find(productName, request.version()).isPresent()) {
            throw new DomainException.Conflict("Release " + productName + " " + request.version() + " already exists.");
        }
        Release r = new Release();
        r.product = product;
        r.version = request.version();
        r.notes = request.notes();
        r.installJson = request.install() == null ? null
                : new String(CanonicalJson.write(request.install()), StandardCharsets.UTF_8);
        r.createdAt = Instant.now();
        r.createdBy = actor;
        r.persist();
        return ReleaseView.of(r);
    }

    @Transactional
    public List<ReleaseView> releases(String productName) {
        requireProduct(productName);
        return Release.ofProduct(productName).stream().map(ReleaseView::of).toList();
    }

    @Transactional
    public ReleaseView release(String productName, String version) {
        return ReleaseView.of(requireRelease(productName, version));
    }

    /** Withdraws a published release: its manifest stays readable for audit, its torrents stop being served. */
    @Transactional
    public ReleaseView revoke(String productName, String version) {
        // Locked first: deployments created meanwhile either commit before this reads them (and are
        // cancelled with the rest) or wait and then see the release revoked.
        Release r = lockRelease(productName, version);
        r.moveTo(ReleaseState.REVOKED);
        r.revokedAt = Instant.now();
        events.fire(new ReleaseEvent(ReleaseEvent.Kind.REVOKED, productName, version));
        return ReleaseView.of(r);
    }

    static Product requireProduct(String name) {
        Names.product(name);
        return Product.byName(name).orElseThrow(() -> new DomainException.NotFound("No product '" + name + "'."));
    }

    public static Release requireRelease(String productName, String version) {
        requireProduct(productName);
        Names.version(version);
        return Release.find(productName, version).orElseThrow(
                () -> new DomainException.NotFound("No release " + productName + " " + version + "."));
    }

    /**
     * The release read under a row lock ({@code SELECT … FOR UPDATE}), for a decision on its state
     * that must hold until the transaction ends. Locking an entity already read does not read it
     * again, so a decision made on that copy can rest on a state another transaction has since
     * changed; this reads the row as it is once the lock is held. Call inside a transaction.
     */
    public static Release lockRelease(String productName, String version) {
        Release r = requireRelease(productName, version);
        Release.getEntityManager().refresh(r, LockModeType.PESSIMISTIC_WRITE);
        return r;
    }

    /** 404 unless the release exists; for resources of other features that hang under a release. */
    public static void requireReleaseExists(String productName, String version) {
        requireRelease(productName, version);
    }

    public static Release requirePublished(String productName, String version) {
        Release r = requireRelease(productName, version);
        if (r.state() == ReleaseState.DRAFT) {
            throw new DomainException.NotFound("Release " + productName + " " + version
                    + " is a draft; it has no manifest or torrent until it is published.");
        }
        return r;
    }
}
