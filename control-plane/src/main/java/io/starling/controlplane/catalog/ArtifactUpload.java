package io.starling.controlplane.catalog;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.starling.controlplane.common.DomainException;
import io.starling.controlplane.common.Names;
import io.starling.protocol.torrent.HashResult;
import io.starling.protocol.torrent.PieceLength;
import io.starling.protocol.torrent.StreamingHasher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Streams an artifact into the blob store, hashing it for the manifest (SHA-256) and for the
 * hybrid torrent (v1 SHA-1 pieces, v2 merkle piece layer) in the same single pass. Nothing is
 * buffered whole: memory is bounded by the hasher's pieces in flight. The release row is only
 * touched at the end, so a cut-off, oversized or mismatching upload changes nothing.
 */
@ApplicationScoped
public class ArtifactUpload {

    private static final Logger LOG = Logger.getLogger(ArtifactUpload.class);

    private final BlobStore blobs;
    private final CatalogConfig config;
    private final PieceHashingPool pool;
    private final UploadSlots slots;

    ArtifactUpload(BlobStore blobs, CatalogConfig config, PieceHashingPool pool, UploadSlots slots) {
        this.blobs = blobs;
        this.config = config;
        this.pool = pool;
        this.slots = slots;
    }

    /** An upload's outcome: the artifact, and whether it replaced one of the same name. */
    public record Stored(ArtifactView artifact, boolean replaced) {
    }

    public Stored upload(String product, String version, String file, Long contentLength,
            Optional<byte[]> declaredSha256, Supplier<InputStream> bodySource) {
        checkNewArtifact(product, version, file, contentLength);
        slots.acquire();
        try {
            return store(product, version, file, contentLength, declaredSha256, bodySource);
        } finally {
            slots.release();
        }
    }

    /** The checks an artifact passes before any of its bytes are read: name, draft release, size. */
    void checkNewArtifact(String product, String version, String file, Long size) {
        Names.file(file);
        QuarkusTransaction.requiringNew().run(() -> checkDraft(product, version));
        if (size == null || size < 0) {
            throw new DomainException.LengthRequired("Send the artifact with a Content-Length header (curl -T does).");
        }
        if (size == 0) {
            throw new DomainException.Invalid("An artifact cannot be empty.");
        }
        if (size > config.maxArtifactSize()) {
            throw new DomainException.TooLarge("The artifact is " + size + " bytes; the limit is "
                    + config.maxArtifactSize() + " bytes (starling.catalog.max-artifact-size).");
        }
    }

    private Stored store(String product, String version, String file, long contentLength,
            Optional<byte[]> declaredSha256, Supplier<InputStream> bodySource) {
        int pieceLength = PieceLength.choose(contentLength);
        HashResult hashes;
        Optional<String> declaredKey = declaredSha256.map(HexFormat.of()::formatHex);
        try (BlobStore.PendingBlob pending = declaredKey.isPresent() ? blobs.begin(declaredKey.get()) : blobs.begin();
                StreamingHasher hasher = new StreamingHasher(pieceLength, pool.executor(), config.piecesInFlight(),
                        pending::writeAt, pool.writers())) {
            long received;
            try (InputStream body = bodySource.get()) {
                // Reads just past the declared length: a client that sends more is caught without reading the surplus.
                received = hasher.transferFrom(body, contentLength);
            }
            if (received > contentLength) {
                throw new DomainException.Invalid("The body is longer than its Content-Length; nothing was stored.");
            }
            if (received != contentLength) {
                throw new DomainException.Invalid("The upload ended after " + received + " of " + contentLength
                        + " bytes; nothing was stored.");
            }
            hashes = hasher.finish();
            return commit(product, version, file, pending, hashes, declaredSha256);
        } catch (IOException e) {
            LOG.infof("Upload of %s/%s/%s aborted: %s", product, version, file, e.getMessage());
            throw new DomainException.Invalid("The upload was interrupted (" + e.getMessage() + "); nothing was stored.");
        }
    }

    /**
     * Makes a fully received and hashed blob the release's artifact {@code file}: checks the
     * declared SHA-256, stores the blob under its digest and records the artifact (replacing one of
     * the same name). The blob is the caller's to close: a refusal here leaves nothing behind.
     */
    Stored commit(String product, String version, String file, BlobStore.PendingBlob pending, HashResult hashes,
            Optional<byte[]> declaredSha256) throws IOException {
        String sha256 = HexFormat.of().formatHex(hashes.sha256());
        declaredSha256.ifPresent(declared -> {
            String expected = HexFormat.of().formatHex(declared);
            if (!expected.equals(sha256)) {
                throw new DomainException.Invalid("The artifact's SHA-256 is " + sha256
                        + " but the request declared " + expected + "; nothing was stored.");
            }
        });
        pending.commit(sha256);
        String[] replacedBlob = new String[1];
        Stored stored = QuarkusTransaction.requiringNew()
                .call(() -> record(product, version, file, hashes, sha256, replacedBlob));
        if (replacedBlob[0] != null) {
            deleteQuietly(replacedBlob[0]);
        }
        return stored;
    }

    static void checkDraft(String product, String version) {
        Release r = Catalog.requireRelease(product, version);
        if (r.state() != ReleaseState.DRAFT) {
            throw new DomainException.Conflict("Release " + product + " " + version + " is "
                    + r.state().name().toLowerCase() + "; artifacts can only be added to a draft.");
        }
    }

    /** Must run in a transaction; names in {@code replacedBlob[0]} a blob no artifact uses any more. */
    private static Stored record(String product, String version, String file, HashResult hashes, String sha256,
            String[] replacedBlob) {
        Release r = Release.<Release>find("product.name = ?1 and version = ?2", product, version)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional()
                .orElseThrow(() -> new DomainException.NotFound("No release " + product + " " + version + "."));
        if (r.state() != ReleaseState.DRAFT) {
            // Published while the bytes were streaming in: the blob stays (content-addressed, harmless).
            throw new DomainException.Conflict("Release " + product + " " + version
                    + " was published during the upload; artifacts can only be added to a draft.");
        }
        Optional<Artifact> existing = Artifact.find(product, version, file);
        Artifact a = existing.orElseGet(Artifact::new);
        String previousBlob = a.blobKey;
        a.release = r;
        a.name = file;
        a.size = hashes.size();
        a.sha256 = sha256;
        a.pieceLength = hashes.pieceLength();
        a.v1Pieces = hashes.v1Pieces();
        a.v2PieceLayer = hashes.v2PieceLayer();
        a.v2PiecesRoot = hashes.v2PiecesRoot();
        a.blobKey = sha256;
        a.createdAt = Instant.now();
        a.persist();
        Artifact.flush();
        if (previousBlob != null && !previousBlob.equals(sha256) && Artifact.count("blobKey", previousBlob) == 0) {
            replacedBlob[0] = previousBlob;
        }
        return new Stored(ArtifactView.of(a), existing.isPresent());
    }

    private void deleteQuietly(String key) {
        try {
            blobs.delete(key);
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("Cannot delete replaced blob %s: %s", key, e.getMessage());
        }
    }
}
