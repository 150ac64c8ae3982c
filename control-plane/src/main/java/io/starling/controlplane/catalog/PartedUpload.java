package io.starling.controlplane.catalog;

import io.starling.controlplane.common.DomainException;
import io.starling.protocol.torrent.PartedFileHasher;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One artifact on its way up in parts: which parts arrived, the blob they are written into at
 * their offsets, their pieces' hashes, and the whole-file SHA-256. That digest needs the bytes in
 * order, so it follows a frontier, the first part not yet in it. The part at the frontier when its
 * request starts is digested while it streams in, as a single upload is (into a copy of the digest,
 * kept only if the part arrives whole). Parts that arrived ahead of the frontier are read back from
 * the blob and digested once the parts before them are in, in the background, while later parts
 * still stream in. Completing then waits for the last parts only. Held in memory by the replica
 * that created it.
 */
final class PartedUpload {

    private enum PartState { MISSING, RECEIVING, RECEIVED }

    private static final int READ_BUFFER = 1024 * 1024;

    final String id;
    final String product;
    final String version;
    final String file;
    final Optional<byte[]> declaredSha256;
    final PartedFileHasher hashes;
    final BlobStore.PendingBlob blob;

    private final PartState[] parts;
    private final CompletableFuture<byte[]> wholeFile = new CompletableFuture<>();
    // Guarded by this.
    /** The bytes of parts 0 to {@link #digested} - 1. */
    private MessageDigest sha256;
    /** The frontier. */
    private int digested;
    private boolean digesting;
    private boolean completing;
    private boolean closed;
    private Instant lastActivity;

    PartedUpload(String id, String product, String version, String file, Optional<byte[]> declaredSha256,
            PartedFileHasher hashes, BlobStore.PendingBlob blob, Instant now) {
        this.id = id;
        this.product = product;
        this.version = version;
        this.file = file;
        this.declaredSha256 = declaredSha256;
        this.hashes = hashes;
        this.blob = blob;
        this.parts = new PartState[hashes.parts()];
        Arrays.fill(parts, PartState.MISSING);
        this.lastActivity = now;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    boolean belongsTo(String product, String version, String file) {
        return this.product.equals(product) && this.version.equals(version) && this.file.equals(file);
    }

    /**
     * Claims part {@code part} (from 0) for one request; a second request for it is refused. When
     * the part is at the frontier, answers the whole-file digest so far, copied, for the request to
     * feed the part's bytes into as they arrive (then hand it to {@link #partReceived}); else null.
     */
    synchronized MessageDigest beginPart(int part, Instant now) {
        if (closed) {
            throw gone();
        }
        if (completing) {
            throw new DomainException.Conflict("Upload " + id + " is being completed; it takes no more parts.");
        }
        switch (parts[part]) {
            case RECEIVING -> throw new DomainException.Conflict("Part " + (part + 1) + " of upload " + id
                    + " is being received by another request; send each part once at a time.");
            case RECEIVED -> throw new DomainException.Conflict("Part " + (part + 1) + " of upload " + id
                    + " was already received.");
            case MISSING -> parts[part] = PartState.RECEIVING;
        }
        lastActivity = now;
        // No digester reads this part back: it digests received parts only, and stops at this one.
        return part == digested ? copy(sha256) : null;
    }

    /**
     * The part arrived whole; {@code inOrder} is the digest {@link #beginPart} answered with the
     * part's bytes fed in, or null. Digests what is now contiguous from the start, on {@code digester}.
     */
    void partReceived(int part, Instant now, Executor digester, MessageDigest inOrder) {
        synchronized (this) {
            parts[part] = PartState.RECEIVED;
            lastActivity = now;
            if (inOrder != null) {
                sha256 = inOrder;
                frontierPassed();
            }
            if (digesting || closed || !nextIsReceived()) {
                return;
            }
            digesting = true;
        }
        digester.execute(this::digestInOrder);
    }

    synchronized void partFailed(int part, Instant now) {
        parts[part] = PartState.MISSING;
        lastActivity = now;
    }

    /** Takes no more parts from here on; refused while parts are missing or still arriving. */
    synchronized void beginComplete() {
        if (closed) {
            throw gone();
        }
        if (completing) {
            throw new DomainException.Conflict("Upload " + id + " is already being completed.");
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] != PartState.RECEIVED) {
                missing.add(i + 1);
            }
        }
        if (!missing.isEmpty()) {
            throw new DomainException.Conflict("Upload " + id + " cannot be completed: "
                    + (missing.size() == 1 ? "part " : "parts ") + summary(missing) + " of " + parts.length
                    + (missing.size() == 1 ? " has" : " have") + " not been received.");
        }
        completing = true;
    }

    /** The whole file's SHA-256, once the frontier reached the end. */
    byte[] wholeFileSha256(Duration timeout) {
        try {
            return wholeFile.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while digesting upload " + id, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read upload " + id + " back: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new DomainException.Unavailable("Upload " + id + " is still being digested; complete it again.");
        }
    }

    /** Abandoned: no part arriving and nothing received for {@code expiry}. */
    synchronized boolean expired(Instant now, Duration expiry) {
        return !completing && !Arrays.asList(parts).contains(PartState.RECEIVING)
                && lastActivity.plus(expiry).isBefore(now);
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Frees the bytes (nothing once committed); parts still arriving fail. */
    void close() {
        synchronized (this) {
            closed = true;
        }
        blob.close();
        wholeFile.cancel(false);
    }

    DomainException gone() {
        return new DomainException.NotFound("Upload " + id + " was cancelled or has expired; start the upload again.");
    }

    private boolean nextIsReceived() {
        return digested < parts.length && parts[digested] == PartState.RECEIVED;
    }

    private void digestInOrder() {
        byte[] buffer = new byte[READ_BUFFER];
        try {
            while (true) {
                int part;
                MessageDigest digest;
                synchronized (this) {
                    if (closed || !nextIsReceived()) {
                        digesting = false;
                        return;
                    }
                    part = digested;
                    digest = sha256;
                }
                digest(part, digest, buffer);
                synchronized (this) {
                    frontierPassed();
                }
            }
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                digesting = false;
            }
            wholeFile.completeExceptionally(e);
        }
    }

    /** Part {@link #digested} is in the digest; the whole file is once that was the last part. */
    private void frontierPassed() {
        digested++;
        if (digested == parts.length) {
            wholeFile.complete(sha256.digest());
        }
    }

    private static MessageDigest copy(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }

    private void digest(int part, MessageDigest into, byte[] buffer) throws IOException {
        long left = hashes.partLength(part);
        try (InputStream in = blob.read(hashes.partOffset(part))) {
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException("part " + (part + 1) + " ends " + left + " bytes early in the blob");
                }
                into.update(buffer, 0, n);
                left -= n;
            }
        }
    }

    /** "2, 5, 7" or "2, 5, 7 and 12 more". */
    private static String summary(List<Integer> numbers) {
        int shown = Math.min(numbers.size(), 10);
        String list = String.join(", ", numbers.subList(0, shown).stream().map(String::valueOf).toList());
        return numbers.size() > shown ? list + " and " + (numbers.size() - shown) + " more" : list;
    }
}
