package io.starling.controlplane.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Content-addressed storage for artifact bytes, keyed by SHA-256. A blob becomes visible only
 * when {@link PendingBlob#commit} has it complete: an aborted upload leaves nothing behind.
 * {@link FileBlobStore} by default, {@link S3BlobStore} for replicas sharing a bucket ({@link BlobStores}).
 */
public interface BlobStore {

    /** Starts writing a new blob whose key is not known until its bytes are hashed. */
    PendingBlob begin() throws IOException;

    /**
     * Starts writing a blob whose key the client declared before sending it. A store that must
     * otherwise move the bytes to their key at commit can write them there at once; committing
     * under another key fails.
     */
    default PendingBlob begin(String expectedKey) throws IOException {
        return begin();
    }

    /**
     * Starts a blob whose written bytes can be read back before it is committed: an upload in
     * parts digests them in order. Stores that cannot read back an unfinished blob stage it.
     */
    default PendingBlob beginReadable() throws IOException {
        return begin();
    }

    boolean exists(String key);

    long size(String key) throws IOException;

    /** A local file for zero-copy serving, when the store has one. */
    Optional<Path> localFile(String key);

    InputStream open(String key, long offset) throws IOException;

    /** {@code length} bytes from {@code offset} (the stream may go on: read no more than that). */
    default InputStream open(String key, long offset, long length) throws IOException {
        return open(key, offset);
    }

    void delete(String key) throws IOException;

    interface PendingBlob extends AutoCloseable {
        /**
         * Writes bytes at an offset; safe from several threads for non-overlapping ranges. Writes
         * start at multiples of 16 KiB (piece boundaries), and only the one that ends the blob
         * may have a length that is not: stores may write in whole disk blocks.
         */
        void writeAt(long offset, byte[] data, int length) throws IOException;

        /**
         * Reads back bytes already written, from {@code offset} on, while other ranges are still
         * being written: a blob that arrives in parts is digested in order this way.
         */
        InputStream read(long offset) throws IOException;

        /** Makes the bytes durable and visible under {@code key}; a blob already there wins. */
        void commit(String key) throws IOException;

        /** Discards the bytes. Safe to call after commit or twice. */
        @Override
        void close();
    }
}
