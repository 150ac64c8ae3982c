package io.starling.controlplane.signing;

import io.quarkus.scheduler.Scheduled;
import io.starling.controlplane.catalog.Artifact;
import io.starling.controlplane.catalog.Catalog;
import io.starling.controlplane.catalog.ManifestRenewal;
import io.starling.controlplane.catalog.Product;
import io.starling.controlplane.catalog.Release;
import io.starling.controlplane.catalog.ReleaseEvent;
import io.starling.controlplane.catalog.ReleaseState;
import io.starling.controlplane.catalog.ReleaseView;
import io.starling.controlplane.catalog.Releases;
import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.peertls.SwarmCa;
import io.starling.protocol.manifest.ArtifactEntry;
import io.starling.protocol.manifest.InstallSpec;
import io.starling.protocol.manifest.Manifest;
import io.starling.protocol.manifest.ManifestLimits;
import io.starling.protocol.manifest.ManifestRejectedException;
import io.starling.protocol.manifest.ManifestRules;
import io.starling.protocol.manifest.ManifestSigner;
import io.starling.protocol.manifest.SignedManifest;
import io.starling.protocol.torrent.HashResult;
import io.starling.protocol.torrent.TorrentMetainfo;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Publishing: freezes a draft, fixes each artifact's torrent info dictionary (and so its
 * info-hashes), and signs the release manifest with the next sequence number of its product.
 */
@ApplicationScoped
public class ManifestPublisher implements ManifestRenewal {

    private static final Logger LOG = Logger.getLogger(ManifestPublisher.class);
    static final int FORMAT = 1;

    private final SigningKey key;
    private final SigningConfig config;
    private final Event<ReleaseEvent> events;
    private final SwarmCa swarmCa;

    ManifestPublisher(SigningKey key, SigningConfig config, Event<ReleaseEvent> events, SwarmCa swarmCa) {
        this.key = key;
        this.config = config;
        this.events = events;
        this.swarmCa = swarmCa;
    }

    @Transactional
    public ReleaseView publish(String productName, String version) {
        key.refresh(false);
        // Locks the product row first: concurrent publishes of one product get distinct, growing
        // sequences. Then the release, read under its lock: two publishes of one draft cannot both
        // see it as a draft.
        Product product = Product.byNameForUpdate(productName).orElseThrow(
                () -> new DomainException.NotFound("No product '" + productName + "'."));
        Release release = Catalog.lockRelease(productName, version);
        if (release.state() != ReleaseState.DRAFT) {
            throw new DomainException.Conflict("Release " + productName + " " + version + " is already "
                    + release.state().name().toLowerCase() + ".");
        }
        List<Artifact> artifacts = release.artifacts;
        if (artifacts.isEmpty()) {
            throw new DomainException.Conflict("Release " + productName + " " + version
                    + " has no artifacts; upload at least one before publishing.");
        }
        InstallSpec install = Releases.install(release);
        Releases.requireArchivePresent(install, artifacts);
        // SSL or plain is fixed with the info-hashes: switching starling.swarm.ssl later changes
        // only releases published after the switch.
        String swarmCaPem = swarmCa.sslTorrents() ? swarmCa.certificatePem() : null;
        for (Artifact a : artifacts) {
            a.infoDict = TorrentMetainfo.infoDict(a.name, hashes(a), swarmCaPem);
            a.infoHashV1 = HexFormat.of().formatHex(TorrentMetainfo.v1InfoHash(a.infoDict));
            a.infoHashV2 = HexFormat.of().formatHex(TorrentMetainfo.v2InfoHash(a.infoDict));
        }
        release.moveTo(ReleaseState.PUBLISHED);
        release.sequence = product.nextSequence();
        release.publishedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        sign(release, release.publishedAt);
        LOG.infof("Published %s %s as sequence %d", productName, version, release.sequence);
        events.fire(new ReleaseEvent(ReleaseEvent.Kind.PUBLISHED, productName, version));
        return Releases.view(release);
    }

    @Transactional
    public SignedManifest signed(String productName, String version) {
        Release r = Catalog.requirePublished(productName, version);
        return new SignedManifest(r.manifest, r.manifestSignature);
    }

    /**
     * The published releases worth keeping valid and due for signing (expiring before ?1, or signed
     * by another key than ?2, the one signing now: after a rotation the old key may be revoked):
     * those an unfinished deployment or an open rollout still assigns, and the latest of each product
     * (the one a new rollout would most likely send). Read by SQL over the deployment and rollout
     * tables: signing stays below those features.
     */
    private static final String RENEWABLE = "select r.id from release r where r.state = 'PUBLISHED'"
            + " and (r.expires_at < ?1 or r.key_id is distinct from ?2)"
            + " and (exists (select 1 from deployment d where d.release_id = r.id"
            + " and d.state in ('PENDING', 'DOWNLOADING', 'DOWNLOADED', 'INSTALLING'))"
            + " or exists (select 1 from rollout o where o.release_id = r.id"
            + " and o.state not in ('FINISHED', 'CANCELLED', 'DENIED'))"
            + " or r.sequence = (select max(l.sequence) from release l where l.product_id = r.product_id"
            + " and l.state = 'PUBLISHED'))";

    /**
     * Manifests expire so that a captured old one cannot freeze an agent forever; the server signs
     * them again, same sequence and content, before they do, but only while a release is still
     * assigned or the latest of its product ({@link #RENEWABLE}). A superseded release's manifest
     * runs out: a replayed deployment of it is refused as EXPIRED once no one should run it.
     * A rollout started later for such a release signs it again at once ({@link #renewIfExpiring}).
     * Those signed by a key that no longer signs (a rotation, maybe a revocation) are signed again
     * with the current one, under the same rule.
     */
    @Scheduled(every = "${starling.signing.renew-every:1h}", delay = 1, delayUnit = java.util.concurrent.TimeUnit.MINUTES,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void renewExpiring() {
        key.refresh(false);
        resign(Instant.now().truncatedTo(ChronoUnit.SECONDS).plus(config.renewBefore()));
    }

    /**
     * Signs every renewable published release ({@link #RENEWABLE}) not signed by the current key
     * again, in the caller's transaction: right after a key set switched keys, so that agents never
     * wait for a manifest their new keys accept. A superseded one is signed again if a rollout
     * sends it later ({@link #renewIfExpiring}).
     *
     * @return how many were signed again
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int resignWithCurrentKey() {
        return resign(Instant.EPOCH);
    }

    private int resign(Instant horizon) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        int signed = 0;
        @SuppressWarnings("unchecked")
        List<Long> ids = Release.getEntityManager().createNativeQuery(RENEWABLE, Long.class)
                .setParameter(1, horizon).setParameter(2, key.keyId()).getResultList();
        for (Long id : ids) {
            Release r = Release.findById(id);
            // A revoke may have committed since the list was read: sign only what is still published.
            Release.getEntityManager().refresh(r, LockModeType.PESSIMISTIC_WRITE);
            if (r.state() != ReleaseState.PUBLISHED) {
                continue;
            }
            sign(r, now);
            signed++;
            LOG.infof("Signed %s %s again with key %s; it now expires at %s", r.product.name, r.version, r.keyId,
                    r.expiresAt);
        }
        return signed;
    }

    @Override
    public void renewIfExpiring(Release release) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        if (release.state() == ReleaseState.PUBLISHED && (release.expiresAt.isBefore(now.plus(config.renewBefore()))
                || !key.keyId().equals(release.keyId))) {
            sign(release, now);
            LOG.infof("Signed %s %s again as it is assigned; it now expires at %s", release.product.name, release.version,
                    release.expiresAt);
        }
    }

    private void sign(Release release, Instant now) {
        List<ArtifactEntry> entries = release.artifacts.stream()
                .map(a -> new ArtifactEntry(a.name, a.size, a.sha256, a.infoHashV1, a.infoHashV2, a.pieceLength))
                .toList();
        Instant expires = now.plus(config.manifestValidity());
        // One read of the current key: a key set taken meanwhile must not split id and signature.
        ManifestSigner signer = key.signer();
        Manifest manifest = new Manifest(FORMAT, release.product.name, release.version, release.sequence, entries,
                Releases.install(release), now, expires, signer.keyId());
        try {
            // The agents' own rules: never publish a manifest they would refuse.
            ManifestRules.check(manifest, ManifestLimits.DEFAULT);
        } catch (ManifestRejectedException e) {
            throw new DomainException.Conflict("This release cannot be published: " + e.getMessage());
        }
        SignedManifest signed = signer.sign(manifest);
        release.manifest = signed.bytes();
        release.manifestSignature = signed.signature();
        release.keyId = signer.keyId();
        release.expiresAt = expires;
    }

    static HashResult hashes(Artifact a) {
        return new HashResult(a.size, a.pieceLength, HexFormat.of().parseHex(a.sha256), a.v1Pieces, a.v2PiecesRoot,
                a.v2PieceLayer);
    }
}
