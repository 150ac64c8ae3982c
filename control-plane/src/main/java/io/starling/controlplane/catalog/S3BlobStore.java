package io.starling.controlplane.catalog;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Blobs as objects {@code blobs/<sha256>} in one bucket of an S3-compatible store.
 *
 * <p>An upload streams into a multipart upload as it is hashed: {@link PendingBlob#writeAt} copies
 * each write into the fixed-size part it falls in (several threads, near-sequential offsets), and
 * the thread that fills a part hands it to a sender and goes on; at most {@code partsInFlight}
 * parts of an upload are being sent at once, and a writer that would exceed that waits. Memory per
 * upload is the parts still filling (a few) plus the parts being sent. The content-addressed key is known only once the bytes are hashed, so the multipart
 * upload goes to {@code uploads/<uuid>} and is copied to its key inside the store at commit;
 * when the client declared the SHA-256 beforehand ({@link #begin(String)}), or the blob fits one
 * part, the bytes go to their key directly and nothing is copied. A key already there wins: the
 * upload is aborted. An aborted upload leaves nothing behind; what a crash leaves (unfinished
 * multipart uploads, {@code uploads/} objects) is removed a day later, at the next start.
 */
public class S3BlobStore implements BlobStore, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(S3BlobStore.class);
    private static final Pattern KEY = Pattern.compile("^[0-9a-f]{64}$");
    private static final String BLOBS = "blobs/";
    private static final String UPLOADS = "uploads/";
    private static final String OCTETS = "application/octet-stream";
    /** The S3 minimum for every part but the last. */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    private static final int MAX_PARTS = 10_000;
    /** CopyObject's limit; larger blobs are copied part by part. */
    private static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;
    private static final long COPY_PART = 1024L * 1024 * 1024;
    private static final int POOLED_BUFFERS = 8;
    /** Parts of one upload sent at once unless configured (starling.blob-store.s3.parts-in-flight). */
    public static final int DEFAULT_PARTS_IN_FLIGHT = 4;

    private final S3Client s3;
    private final String bucket;
    private final int partSize;
    private final int partsInFlight;
    private final Path staging;
    /** Sends full parts; an upload's semaphore bounds how many of its parts are here at once. */
    private final ExecutorService senders = Executors.newCachedThreadPool(PieceHashingPool.named("s3-part-sender-"));
    /** Part buffers of finished parts, reused: a 1 GB upload would otherwise allocate 128 of them. */
    private final Queue<byte[]> buffers = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();

    public S3BlobStore(S3Client s3, String bucket, int partSize) {
        this(s3, bucket, partSize, DEFAULT_PARTS_IN_FLIGHT,
                Path.of(System.getProperty("java.io.tmpdir"), "starling-staging"));
    }

    /**
     * {@code partsInFlight}: parts of one upload sent at once; {@code staging}: where uploads in
     * parts wait until they are complete (see {@link StagedBlob}).
     */
    public S3BlobStore(S3Client s3, String bucket, int partSize, int partsInFlight, Path staging) {
        this.staging = staging;
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("starling.blob-store.s3.part-size is " + partSize
                    + " bytes; S3 needs at least " + MIN_PART_SIZE);
        }
        if (partsInFlight < 1) {
            throw new IllegalArgumentException("starling.blob-store.s3.parts-in-flight is " + partsInFlight
                    + "; at least 1 part must be sent at a time");
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.partSize = partSize;
        this.partsInFlight = partsInFlight;
    }

    /** Removes uploads in parts staged before a crash or restart: nothing refers to them any more. */
    void clearStaging() {
        if (!Files.isDirectory(staging)) {
            return;
        }
        try (var leftovers = Files.list(staging)) {
            for (Path file : (Iterable<Path>) leftovers::iterator) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warnf("Cannot empty %s: %s", staging, e.getMessage());
        }
    }

    /** Blobs larger than this cannot be stored with this part size (S3 allows 10,000 parts). */
    public long largestBlob() {
        return (long) partSize * MAX_PARTS;
    }

    @Override
    public PendingBlob begin() throws IOException {
        return new S3Pending(UPLOADS + UUID.randomUUID(), null);
    }

    /** An S3 multipart upload cannot be read before it completes: parts are staged on local disk. */
    @Override
    public PendingBlob beginReadable() throws IOException {
        return new StagedBlob(this, staging);
    }

    @Override
    public PendingBlob begin(String expectedKey) throws IOException {
        return new S3Pending(objectKey(expectedKey), expectedKey);
    }

    @Override
    public boolean exists(String key) {
        try {
            return head(objectKey(key)).isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long size(String key) throws IOException {
        return head(objectKey(key)).orElseThrow(() -> new NoSuchFileException(key));
    }

    /** Never a file: the seeder's cache keeps local copies (seed.BlobCache). */
    @Override
    public Optional<Path> localFile(String key) {
        objectKey(key);
        return Optional.empty();
    }

    @Override
    public InputStream open(String key, long offset) throws IOException {
        return get(key, offset > 0 ? "bytes=" + offset + "-" : null);
    }

    /** Asks for just the range: closing a stream with bytes left would read them all to reuse the connection. */
    @Override
    public InputStream open(String key, long offset, long length) throws IOException {
        return length <= 0 ? InputStream.nullInputStream() : get(key, "bytes=" + offset + "-" + (offset + length - 1));
    }

    private InputStream get(String key, String range) throws IOException {
        String object = objectKey(key);
        try {
            return s3.getObject(b -> b.bucket(bucket).key(object).range(range));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(key);
        } catch (SdkException e) {
            throw new IOException("Cannot read blob " + key + " from bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String key) throws IOException {
        String object = objectKey(key);
        call("delete blob " + key, () -> s3.deleteObject(b -> b.bucket(bucket).key(object)));
    }

    /** Removes what uploads cut off by a crash left behind: unfinished multipart uploads, temporary objects. */
    public void sweep(Duration olderThan) {
        Instant cutoff = Instant.now().minus(olderThan);
        int removed = 0;
        try {
            for (MultipartUpload u : s3.listMultipartUploadsPaginator(b -> b.bucket(bucket)).uploads()) {
                if (u.initiated() != null && u.initiated().isBefore(cutoff)
                        && (u.key().startsWith(UPLOADS) || u.key().startsWith(BLOBS))) {
                    s3.abortMultipartUpload(b -> b.bucket(bucket).key(u.key()).uploadId(u.uploadId()));
                    removed++;
                }
            }
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(UPLOADS)).contents()) {
                if (o.lastModified().isBefore(cutoff)) {
                    s3.deleteObject(b -> b.bucket(bucket).key(o.key()));
                    removed++;
                }
            }
        } catch (SdkException e) {
            LOG.warnf("Cannot look for uploads a crash left in bucket %s: %s", bucket, e.getMessage());
        }
        if (removed > 0) {
            LOG.infof("Removed %d unfinished uploads from bucket %s", removed, bucket);
        }
    }

    @Override
    public void close() {
        senders.shutdownNow();
        s3.close();
    }

    private static String objectKey(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("Not a blob key: " + key);
        }
        return BLOBS + key;
    }

    /** The object's size, empty when there is none. */
    private Optional<Long> head(String object) throws IOException {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(object)).contentLength());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw new IOException("Cannot look up " + object + " in bucket " + bucket + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("Cannot look up " + object + " in bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    private <T> T call(String what, java.util.function.Supplier<T> request) throws IOException {
        try {
            return request.get();
        } catch (SdkException e) {
            throw new IOException("Cannot " + what + " in bucket " + bucket + ": " + e.getMessage(), e);
        }
    }

    private byte[] takeBuffer() {
        byte[] b = buffers.poll();
        if (b != null) {
            pooled.decrementAndGet();
            return b;
        }
        return new byte[partSize];
    }

    private void giveBack(byte[] b) {
        if (pooled.incrementAndGet() <= POOLED_BUFFERS) {
            buffers.offer(b);
        } else {
            pooled.decrementAndGet();
        }
    }

    /** One part filling up: writes copy in at their offsets; whoever completes it sends it. */
    private static final class Part {
        final int index;
        final byte[] bytes;
        final AtomicInteger filled = new AtomicInteger();

        Part(int index, byte[] bytes) {
            this.index = index;
            this.bytes = bytes;
        }
    }

    private final class S3Pending implements PendingBlob {
        /** Where the multipart upload goes: a temporary key, or the blob's own when it was declared. */
        private final String target;
        private final String expectedKey;
        private final Map<Integer, Part> filling = new ConcurrentHashMap<>();
        private final Map<Integer, CompletedPart> sent = new ConcurrentSkipListMap<>();
        private final AtomicLong end = new AtomicLong();
        private final AtomicReference<IOException> failure = new AtomicReference<>();
        /** One permit per part that may be in the senders' hands; all free means none is being sent. */
        private final Semaphore sending = new Semaphore(partsInFlight);
        private final long begun = System.nanoTime();
        private String uploadId;
        private volatile boolean done;

        S3Pending(String target, String expectedKey) {
            this.target = target;
            this.expectedKey = expectedKey;
        }

        @Override
        public void writeAt(long offset, byte[] data, int length) throws IOException {
            check();
            end.accumulateAndGet(offset + length, Math::max);
            for (int copied = 0; copied < length; ) {
                long position = offset + copied;
                long index = position / partSize;
                if (index >= MAX_PARTS) {
                    throw new IOException("The blob is larger than " + largestBlob()
                            + " bytes, what 10,000 parts of starling.blob-store.s3.part-size hold");
                }
                int within = (int) (position % partSize);
                int n = Math.min(length - copied, partSize - within);
                Part part = filling.computeIfAbsent((int) index, i -> new Part(i, takeBuffer()));
                System.arraycopy(data, copied, part.bytes, within, n);
                if (part.filled.addAndGet(n) == partSize) {
                    filling.remove(part.index);
                    sendLater(part, partSize);
                }
                copied += n;
            }
        }

        @Override
        public InputStream read(long offset) throws IOException {
            throw new IOException("An unfinished S3 upload cannot be read back; begin it with beginReadable()");
        }

        private void check() throws IOException {
            if (done) {
                throw new IOException("The upload was already committed or aborted");
            }
            IOException f = failure.get();
            if (f != null) {
                throw new IOException(f.getMessage(), f);
            }
        }

        private synchronized String uploadId() throws IOException {
            if (done) {
                throw new IOException("The upload was aborted");
            }
            if (uploadId == null) {
                uploadId = call("start an upload", () -> s3.createMultipartUpload(b -> b.bucket(bucket).key(target)
                        .contentType(OCTETS)).uploadId());
            }
            return uploadId;
        }

        /** Hands a full part to a sender; waits while this upload already has partsInFlight parts there. */
        private void sendLater(Part part, int length) throws IOException {
            try {
                sending.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while waiting to send part " + (part.index + 1), e);
            }
            try {
                check();
                senders.execute(() -> {
                    try {
                        send(part, length);
                    } catch (IOException e) {
                        // send() recorded it: the next write, or the commit, reports it
                    } finally {
                        sending.release();
                    }
                });
            } catch (IOException | RuntimeException e) {
                sending.release();
                throw e;
            }
        }

        /** Waits until no part of this upload is being sent. */
        private void awaitSends() {
            sending.acquireUninterruptibly(partsInFlight);
            sending.release(partsInFlight);
        }

        private void send(Part part, int length) throws IOException {
            try {
                String id = uploadId();
                int number = part.index + 1;
                String etag = call("upload part " + number, () -> s3.uploadPart(b -> b.bucket(bucket).key(target)
                                .uploadId(id).partNumber(number).contentLength((long) length),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(part.bytes, 0, length), length,
                                OCTETS)).eTag());
                sent.put(part.index, CompletedPart.builder().partNumber(number).eTag(etag).build());
                giveBack(part.bytes);
            } catch (IOException e) {
                failure.compareAndSet(null, e);
                throw e;
            }
        }

        @Override
        public void commit(String key) throws IOException {
            awaitSends();
            check();
            String object = objectKey(key);
            if (expectedKey != null && !expectedKey.equals(key)) {
                close();
                throw new IOException("The blob's SHA-256 is " + key + ", not the declared " + expectedKey);
            }
            if (head(object).isPresent()) {
                close(); // same key, same bytes: the stored blob wins
                return;
            }
            List<Part> rest = new ArrayList<>(filling.values());
            boolean started;
            synchronized (this) {
                started = uploadId != null;
            }
            if (!started && sent.isEmpty() && rest.size() <= 1) {
                putWhole(object, rest.isEmpty() ? null : rest.get(0));
                done = true;
                return;
            }
            if (rest.size() > 1 || (rest.size() == 1 && rest.get(0).index != sent.size())) {
                close();
                throw new IOException("The blob has gaps: parts " + filling.keySet() + " are not full");
            }
            for (Part last : rest) {
                filling.remove(last.index);
                send(last, last.filled.get());
            }
            List<CompletedPart> parts = List.copyOf(sent.values());
            String id = uploadId();
            long received = System.nanoTime();
            call("finish the upload of " + key, () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(target)
                    .uploadId(id).multipartUpload(m -> m.parts(parts))));
            done = true;
            long completed = System.nanoTime();
            if (!target.equals(object)) {
                try {
                    copy(target, object, end.get());
                } finally {
                    call("remove the temporary " + target, () -> s3.deleteObject(b -> b.bucket(bucket).key(target)));
                }
            }
            // Where an upload's time goes on this store: the store's side of the parts, of completing, of copying.
            LOG.debugf("Stored blob %s: %d parts sent in %.2f s, completed in %.2f s, copied to its key in %.2f s", key,
                    parts.size(), seconds(begun, received), seconds(received, completed),
                    seconds(completed, System.nanoTime()));
        }

        private void putWhole(String object, Part only) throws IOException {
            byte[] bytes = only == null ? new byte[0] : only.bytes;
            int length = only == null ? 0 : only.filled.get();
            call("store " + object, () -> s3.putObject(b -> b.bucket(bucket).key(object).contentType(OCTETS)
                            .contentLength((long) length),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length, OCTETS)));
            if (only != null) {
                giveBack(only.bytes);
            }
        }

        /** Inside the store: no byte comes back through this server. */
        private void copy(String from, String to, long size) throws IOException {
            if (size <= MAX_SINGLE_COPY) {
                call("copy " + from + " to " + to, () -> s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(from)
                        .destinationBucket(bucket).destinationKey(to)));
                return;
            }
            String id = call("start copying to " + to, () -> s3.createMultipartUpload(b -> b.bucket(bucket).key(to)
                    .contentType(OCTETS)).uploadId());
            try {
                List<CompletedPart> parts = new ArrayList<>();
                for (long first = 0; first < size; first += COPY_PART) {
                    int number = parts.size() + 1;
                    String range = "bytes=" + first + "-" + (Math.min(size, first + COPY_PART) - 1);
                    String etag = call("copy part " + number, () -> s3.uploadPartCopy(b -> b.sourceBucket(bucket)
                            .sourceKey(from).destinationBucket(bucket).destinationKey(to).uploadId(id)
                            .partNumber(number).copySourceRange(range)).copyPartResult().eTag());
                    parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                }
                call("finish copying to " + to, () -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(to)
                        .uploadId(id).multipartUpload(m -> m.parts(parts))));
            } catch (IOException | RuntimeException e) {
                abortQuietly(to, id);
                throw e;
            }
        }

        @Override
        public void close() {
            if (done) {
                return;
            }
            done = true;
            filling.clear(); // a writer still copying into a buffer keeps it; the pool does not get it back
            awaitSends(); // a part sent after the abort would be kept by some stores
            String id;
            synchronized (this) {
                id = uploadId;
            }
            if (id != null) {
                abortQuietly(target, id);
            }
        }
    }

    private static double seconds(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e9;
    }

    private void abortQuietly(String object, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(object).uploadId(uploadId));
        } catch (SdkException e) {
            LOG.warnf("Cannot abort the upload of %s in bucket %s (a lifecycle rule or the next start removes it): %s",
                    object, bucket, e.getMessage());
        }
    }
}
