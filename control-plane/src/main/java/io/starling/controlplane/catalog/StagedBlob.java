package io.starling.controlplane.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A pending blob kept in a local file until it is committed, then streamed into its store. For
 * stores that cannot read back an unfinished upload (an S3 multipart upload cannot be read before
 * it completes), so that an upload in parts can still be digested in order while parts arrive.
 */
final class StagedBlob implements BlobStore.PendingBlob {

    /** A whole number of 16 KiB blocks, as {@link BlobStore.PendingBlob#writeAt} wants. */
    private static final int CHUNK = 1 << 20;

    private final BlobStore store;
    private final Path file;
    private final FileChannel channel;

    StagedBlob(BlobStore store, Path dir) throws IOException {
        this.store = store;
        Files.createDirectories(dir);
        this.file = Files.createTempFile(dir, "upload-", ".part");
        this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    @Override
    public void writeAt(long offset, byte[] data, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(data, 0, length);
        while (buffer.hasRemaining()) {
            channel.write(buffer, offset + buffer.position());
        }
    }

    @Override
    public InputStream read(long offset) throws IOException {
        FileChannel reader = FileChannel.open(file, StandardOpenOption.READ);
        reader.position(offset);
        return Channels.newInputStream(reader);
    }

    /** Streams the staged bytes into the store under {@code key}, which wins if it is there already. */
    @Override
    public void commit(String key) throws IOException {
        try (BlobStore.PendingBlob target = store.begin(key)) {
            byte[] chunk = new byte[CHUNK];
            long size = channel.size();
            for (long offset = 0; offset < size; ) {
                ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, (int) Math.min(CHUNK, size - offset));
                while (buffer.hasRemaining()) {
                    if (channel.read(buffer, offset + buffer.position()) < 0) {
                        throw new IOException("The staged upload " + file + " ended early at " + offset);
                    }
                }
                target.writeAt(offset, chunk, buffer.position());
                offset += buffer.position();
            }
            target.commit(key);
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // The staging folder is emptied at the next start; nothing refers to this file any more.
        }
    }
}
