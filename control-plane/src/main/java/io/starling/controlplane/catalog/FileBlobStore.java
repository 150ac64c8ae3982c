package io.starling.controlplane.catalog;

import com.sun.nio.file.ExtendedOpenOption;
import io.starling.controlplane.common.StarlingConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Blobs as files {@code blobs/ab/abcdef…}. New bytes go to {@code blobs/tmp/} and are renamed
 * into place after an fsync, so a crash or an aborted upload never leaves a partial blob under a
 * real key. Left-over temp files from a crash are removed at start.
 */
@ApplicationScoped
@Typed(FileBlobStore.class) // BlobStores chooses the BlobStore
public class FileBlobStore implements BlobStore {

    private static final Logger LOG = Logger.getLogger(FileBlobStore.class);
    private static final Pattern KEY = Pattern.compile("^[0-9a-f]{64}$");

    private final Path root;
    private final Path tmp;
    /** Removes duplicate copies of stored blobs off the uploading thread. */
    private final ExecutorService janitor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "blob-janitor");
        t.setDaemon(true);
        return t;
    });
    /** Off once the filesystem refused O_DIRECT, so that we ask it only once. */
    private volatile boolean directIo;

    @Inject
    FileBlobStore(StarlingConfig starling, CatalogConfig catalog) {
        this(catalog.blobDir().orElse(starling.home().resolve("blobs")), catalog.directIo());
    }

    public FileBlobStore(Path root) {
        this(root, true);
    }

    public FileBlobStore(Path root, boolean directIo) {
        this.root = root.toAbsolutePath();
        this.tmp = this.root.resolve("tmp");
        this.directIo = directIo;
        try {
            Files.createDirectories(tmp);
            try (Stream<Path> leftovers = Files.list(tmp)) {
                leftovers.forEach(FileBlobStore::deleteQuietly);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the blob folder " + this.root, e);
        }
    }

    Path tmpDir() {
        return tmp;
    }

    /** Deletes a temp file in the background; one left by a crash goes at the next start. */
    private void discardLater(Path file) {
        try {
            janitor.execute(() -> deleteQuietly(file));
        } catch (RejectedExecutionException e) {
            deleteQuietly(file);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("Cannot remove %s: %s", file, e.getMessage());
        }
    }

    @PreDestroy
    void close() {
        janitor.shutdown();
    }

    @Override
    public PendingBlob begin() throws IOException {
        Path file = Files.createTempFile(tmp, "upload-", ".part");
        try {
            if (directIo) {
                try {
                    int block = Math.toIntExact(Files.getFileStore(file).getBlockSize());
                    return new DirectPending(file, block,
                            FileChannel.open(file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT));
                } catch (IOException | UnsupportedOperationException | ArithmeticException e) {
                    directIo = false;
                    LOG.infof("Blobs in %s are written through the page cache: O_DIRECT is not available there (%s)",
                            root, e.getMessage());
                }
            }
            return new FilePending(file, FileChannel.open(file, StandardOpenOption.WRITE));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /** Whether new blobs are written with O_DIRECT (false after the filesystem refused it). */
    boolean writesDirect() {
        return directIo;
    }

    @Override
    public boolean exists(String key) {
        return Files.isRegularFile(path(key));
    }

    @Override
    public long size(String key) throws IOException {
        return Files.size(path(key));
    }

    @Override
    public Optional<Path> localFile(String key) {
        Path p = path(key);
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    @Override
    public InputStream open(String key, long offset) throws IOException {
        FileChannel channel = FileChannel.open(path(key), StandardOpenOption.READ);
        channel.position(offset);
        return Channels.newInputStream(channel);
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(path(key));
    }

    private Path path(String key) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("Not a blob key: " + key);
        }
        return root.resolve(key.substring(0, 2)).resolve(key);
    }

    private class FilePending implements PendingBlob {
        private final Path file;
        protected final FileChannel channel;
        private boolean done;

        FilePending(Path file, FileChannel channel) {
            this.file = file;
            this.channel = channel;
        }

        @Override
        public void writeAt(long offset, byte[] data, int length) throws IOException {
            ByteBuffer buffer = ByteBuffer.wrap(data, 0, length);
            long position = offset;
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
        }

        @Override
        public InputStream read(long offset) throws IOException {
            // A channel of its own, through the page cache: Linux keeps it coherent with O_DIRECT writes.
            FileChannel reader = FileChannel.open(file, StandardOpenOption.READ);
            reader.position(offset);
            return Channels.newInputStream(reader);
        }

        /** Called before the bytes are made durable. */
        protected void complete() throws IOException {
        }

        @Override
        public void commit(String key) throws IOException {
            if (exists(key)) {
                // Same key, same bytes: the stored blob stays, this copy goes. Not on the caller's
                // thread: freeing a large file keeps the filesystem busy for a while (about 150 ms
                // per GB on the benchmark machine), and a rename over the blob would do the same.
                channel.close();
                done = true;
                discardLater(file);
                return;
            }
            Path target = path(key);
            complete();
            channel.force(true); // the rename must never publish bytes still in the page cache only
            channel.close();
            Files.createDirectories(target.getParent());
            try {
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                // Same key means same bytes: the blob already stored wins.
                Files.deleteIfExists(file);
            }
            done = true;
        }

        @Override
        public void close() {
            if (done) {
                return;
            }
            done = true;
            try {
                channel.close();
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warnf("Cannot remove aborted upload %s: %s", file, e.getMessage());
            }
        }
    }

    /**
     * O_DIRECT writes: whole disk blocks from aligned native memory, at aligned offsets. Each
     * write goes through a pooled 1 MiB aligned buffer (the JDK would copy a heap array into a
     * temporary native one anyway). The blob's last, short write is padded to a whole block and
     * the file cut back to its real length before it is committed.
     */
    private final class DirectPending extends FilePending {
        private static final int CHUNK = 1024 * 1024;

        private final int block;
        private final Queue<ByteBuffer> buffers = new ConcurrentLinkedQueue<>();
        private final AtomicLong end = new AtomicLong();

        DirectPending(Path file, int block, FileChannel channel) {
            super(file, channel);
            if (block <= 0 || Integer.bitCount(block) != 1 || block > CHUNK) {
                throw new UnsupportedOperationException("unusual block size " + block);
            }
            this.block = block;
        }

        @Override
        public void writeAt(long offset, byte[] data, int length) throws IOException {
            if (offset % block != 0) {
                throw new IllegalArgumentException("write at " + offset + " is not at a block boundary");
            }
            ByteBuffer buffer = buffers.poll();
            if (buffer == null) {
                buffer = ByteBuffer.allocateDirect(CHUNK + block).alignedSlice(block);
            }
            try {
                for (int done = 0; done < length; ) {
                    int n = Math.min(CHUNK, length - done);
                    buffer.clear().put(data, done, n);
                    int padded = (n + block - 1) / block * block;
                    while (buffer.position() < padded) {
                        buffer.put((byte) 0); // at most one block, and only at the blob's end
                    }
                    buffer.flip();
                    long position = offset + done;
                    while (buffer.hasRemaining()) {
                        position += channel.write(buffer, position);
                    }
                    done += n;
                }
            } finally {
                buffers.offer(buffer);
            }
            end.accumulateAndGet(offset + length, Math::max);
        }

        @Override
        protected void complete() throws IOException {
            channel.truncate(end.get());
        }
    }
}
