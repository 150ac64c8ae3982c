package io.starling.controlplane.catalog;

import io.starling.controlplane.common.StarlingConfig;
import jakarta.enterprise.context.ApplicationScoped;
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
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Blobs as files {@code blobs/ab/abcdef…}. New bytes go to {@code blobs/tmp/} and are renamed
 * into place after an fsync, so a crash or an aborted upload never leaves a partial blob under a
 * real key. Left-over temp files from a crash are removed at start.
 */
@ApplicationScoped
public class FileBlobStore implements BlobStore {

    private static final Logger LOG = Logger.getLogger(FileBlobStore.class);
    private static final Pattern KEY = Pattern.compile("^[0-9a-f]{64}$");

    private final Path root;
    private final Path tmp;

    @Inject
    FileBlobStore(StarlingConfig starling, CatalogConfig catalog) {
        this(catalog.blobDir().orElse(starling.home().resolve("blobs")));
    }

    public FileBlobStore(Path root) {
        this.root = root.toAbsolutePath();
        this.tmp = this.root.resolve("tmp");
        try {
            Files.createDirectories(tmp);
            try (Stream<Path> leftovers = Files.list(tmp)) {
                leftovers.forEach(p -> {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        LOG.warnf("Cannot remove left-over upload %s: %s", p, e.getMessage());
                    }
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the blob folder " + this.root, e);
        }
    }

    Path tmpDir() {
        return tmp;
    }

    @Override
    public PendingBlob begin() throws IOException {
        Path file = Files.createTempFile(tmp, "upload-", ".part");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
        return new FilePending(file, channel);
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

    private final class FilePending implements PendingBlob {
        private final Path file;
        private final FileChannel channel;
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
        public void commit(String key) throws IOException {
            Path target = path(key);
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
}
