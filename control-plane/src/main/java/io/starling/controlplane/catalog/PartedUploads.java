package io.starling.controlplane.catalog;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.starling.controlplane.common.DomainException;
import io.starling.protocol.torrent.HashResult;
import io.starling.protocol.torrent.PartedFileHasher;
import io.starling.protocol.torrent.PieceLength;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Artifacts uploaded in parts, in any order and several at a time: the console's way, so that a
 * dropped connection costs one part, not the whole file. Each part streams straight to its place
 * in the blob, its pieces hashed on the way (never buffered whole); completing commits
 * the artifact exactly as a single upload of the same bytes does. Uploads live in this replica's
 * memory: every request of one upload must reach the replica that created it. One that receives
 * nothing for starling.catalog.parted-upload-expiry is dropped and its bytes freed.
 */
@ApplicationScoped
public class PartedUploads {

    private static final Logger LOG = Logger.getLogger(PartedUploads.class);
    private static final Duration DIGEST_WAIT = Duration.ofMinutes(2);

    private final BlobStore blobs;
    private final CatalogConfig config;
    private final PieceHashingPool pool;
    private final UploadSlots slots;
    private final ArtifactUpload artifacts;
    private final Map<String, PartedUpload> uploads = new ConcurrentHashMap<>();
    /** Digests completed parts in order; a thread per upload digesting at the time. */
    private final ExecutorService digester = Executors.newCachedThreadPool(new java.util.concurrent.ThreadFactory() {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "upload-digest-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    });

    PartedUploads(BlobStore blobs, CatalogConfig config, PieceHashingPool pool, UploadSlots slots,
            ArtifactUpload artifacts) {
        this.blobs = blobs;
        this.config = config;
        this.pool = pool;
        this.slots = slots;
        this.artifacts = artifacts;
    }

    public PartedUploadView create(String product, String version, String file, long size,
            Optional<byte[]> declaredSha256) {
        artifacts.checkNewArtifact(product, version, file, size);
        int pieceLength = PieceLength.choose(size);
        long partSize = Math.max(1, (config.partSize() + pieceLength - 1) / pieceLength) * pieceLength;
        PartedFileHasher hashes = new PartedFileHasher(size, pieceLength, partSize);
        BlobStore.PendingBlob blob;
        try {
            blob = blobs.beginReadable();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a blob: " + e.getMessage(), e);
        }
        String id = UUID.randomUUID().toString();
        uploads.put(id, new PartedUpload(id, product, version, file, declaredSha256, hashes, blob, Instant.now()));
        return new PartedUploadView(id, size, partSize, hashes.parts(), config.partedUploadExpiry().toSeconds());
    }

    /** Streams part {@code number} (from 1) of an upload to its place. */
    public UploadPartView part(String product, String version, String file, String id, int number,
            Long contentLength, Supplier<InputStream> bodySource) {
        PartedUpload upload = find(product, version, file, id);
        int parts = upload.hashes.parts();
        if (number < 1 || number > parts) {
            throw new DomainException.Invalid("Upload " + id + " has parts 1 to " + parts + "; there is no part "
                    + number + ".");
        }
        int part = number - 1;
        long length = upload.hashes.partLength(part);
        if (contentLength == null || contentLength < 0) {
            throw new DomainException.LengthRequired("Send each part with a Content-Length header.");
        }
        if (contentLength != length) {
            throw new DomainException.Invalid("Part " + number + " of upload " + id + " is " + length
                    + " bytes; the request's Content-Length is " + contentLength + ".");
        }
        QuarkusTransaction.requiringNew().run(() -> ArtifactUpload.checkDraft(product, version));
        MessageDigest inOrder = upload.beginPart(part, Instant.now());
        boolean received = false;
        try {
            slots.acquire();
            try {
                received = transfer(upload, part, length, bodySource, inOrder);
            } finally {
                slots.release();
            }
        } finally {
            if (received) {
                upload.partReceived(part, Instant.now(), digester, inOrder);
            } else {
                upload.partFailed(part, Instant.now());
            }
        }
        return new UploadPartView(number, upload.hashes.partOffset(part), length);
    }

    private boolean transfer(PartedUpload upload, int part, long length, Supplier<InputStream> bodySource,
            MessageDigest inOrder) {
        long read;
        try (InputStream body = bodySource.get()) {
            read = upload.hashes.transferPart(part, body, pool.executor(), config.piecesInFlight(),
                    upload.blob::writeAt, pool.writers(), inOrder);
        } catch (IOException | RuntimeException e) {
            if (upload.isClosed()) {
                throw upload.gone();
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            LOG.infof("Part %d of upload %s aborted: %s", part + 1, upload.id, e.getMessage());
            throw new DomainException.Invalid("Part " + (part + 1) + " was interrupted (" + e.getMessage()
                    + "); send it again.");
        }
        if (read > length) {
            throw new DomainException.Invalid("The body of part " + (part + 1)
                    + " is longer than its Content-Length; send it again.");
        }
        if (read != length) {
            throw new DomainException.Invalid("Part " + (part + 1) + " ended after " + read + " of " + length
                    + " bytes; send it again.");
        }
        return true;
    }

    /** Commits the artifact once every part is in; whatever the outcome, the upload is over. */
    public ArtifactUpload.Stored complete(String product, String version, String file, String id) {
        PartedUpload upload = find(product, version, file, id);
        upload.beginComplete();
        try {
            HashResult hashes = upload.hashes.result(upload.wholeFileSha256(DIGEST_WAIT));
            return artifacts.commit(product, version, file, upload.blob, hashes, upload.declaredSha256);
        } catch (IOException e) {
            throw new IllegalStateException("cannot store upload " + id + ": " + e.getMessage(), e);
        } finally {
            end(upload);
        }
    }

    /** Stops an upload and frees its bytes; parts still arriving are refused. */
    public void abort(String product, String version, String file, String id) {
        end(find(product, version, file, id));
    }

    @Scheduled(every = "1m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void dropAbandoned() {
        dropAbandoned(Instant.now());
    }

    void dropAbandoned(Instant now) {
        for (PartedUpload upload : uploads.values()) {
            if (upload.expired(now, config.partedUploadExpiry())) {
                LOG.infof("Upload %s of %s/%s/%s received nothing for %s: dropped", upload.id, upload.product,
                        upload.version, upload.file, config.partedUploadExpiry());
                end(upload);
            }
        }
    }

    /** Uploads in progress on this replica. */
    int open() {
        return uploads.size();
    }

    private PartedUpload find(String product, String version, String file, String id) {
        PartedUpload upload = id == null ? null : uploads.get(id);
        if (upload == null || !upload.belongsTo(product, version, file)) {
            throw new DomainException.NotFound("No upload " + id + " of " + product + " " + version + " " + file
                    + " on this control plane: it was completed, cancelled or has expired, or it was started on "
                    + "another replica.");
        }
        return upload;
    }

    private void end(PartedUpload upload) {
        uploads.remove(upload.id, upload);
        upload.close();
    }

    @PreDestroy
    void close() {
        uploads.values().forEach(this::end);
        digester.shutdownNow();
    }
}
