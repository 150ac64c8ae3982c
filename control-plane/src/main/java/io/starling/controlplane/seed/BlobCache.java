package io.starling.controlplane.seed;

import io.starling.controlplane.catalog.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Local copies of blobs from a store that has no files (S3), for the origin seeder: libtorrent
 * seeds files. {@code <dir>/<sha256>}, at most {@code maxBytes} together. A copy is made when the
 * seeder first needs the blob (at publication, or at start for what is published) and checked
 * against its SHA-256 on the way in. To make room, copies no published release needs go first,
 * least recently used first; copies of published releases are never evicted, since a swarm may
 * need them at any time: when those alone fill the cache, the new blob is not seeded from here and
 * the web seed serves it from the store. With a file store this class does nothing: the blob is
 * its own local file.
 */
final class BlobCache {

    private static final Logger LOG = Logger.getLogger(BlobCache.class);
    private static final Pattern KEY = Pattern.compile("^[0-9a-f]{64}$");
    /** Last use is recorded as the file's modification time, at most this often. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    private final Path dir;
    private final long maxBytes;
    private final BlobStore blobs;
    private boolean prepared;

    BlobCache(Path dir, long maxBytes, BlobStore blobs) {
        this.dir = dir.toAbsolutePath();
        this.maxBytes = maxBytes;
        this.blobs = blobs;
    }

    /** The blob as a local file: the store's own, or a copy here; empty when neither exists yet. */
    Optional<Path> localFile(String key) {
        Optional<Path> own = blobs.localFile(key);
        if (own.isPresent()) {
            return own;
        }
        Path copy = dir.resolve(key);
        if (!KEY.matcher(key).matches() || !Files.isRegularFile(copy)) {
            return Optional.empty();
        }
        touch(copy);
        return Optional.of(copy);
    }

    /**
     * The blob as a local file, copied from the store first if need be.
     *
     * @param needed whether a published release still needs a blob: those copies are never evicted
     * @throws IOException when the store cannot be read, the bytes do not match the key, or the
     *                     cache is full of blobs still needed
     */
    synchronized Path fill(String key, long size, Predicate<String> needed) throws IOException {
        Optional<Path> present = localFile(key);
        if (present.isPresent()) {
            return present.get();
        }
        prepare();
        if (size > maxBytes) {
            throw new IOException("The blob " + key + " (" + size + " bytes) is larger than the seed cache ("
                    + maxBytes + " bytes, starling.seed.cache-size)");
        }
        makeRoom(key, size, needed);
        Path part = dir.resolve("tmp").resolve(key + ".part");
        try {
            copy(key, size, part);
            Path target = dir.resolve(key);
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            LOG.infof("Copied blob %s (%d bytes) into the seed cache", key, size);
            return target;
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /** Bytes the copies take now. */
    synchronized long usedBytes() throws IOException {
        return entries().stream().mapToLong(Entry::size).sum();
    }

    private void prepare() throws IOException {
        if (!prepared) {
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmp)) {
                for (Path p : leftovers) {
                    Files.deleteIfExists(p); // cut off by a crash
                }
            }
            prepared = true;
        }
    }

    private void makeRoom(String key, long size, Predicate<String> needed) throws IOException {
        List<Entry> entries = entries();
        long used = entries.stream().mapToLong(Entry::size).sum();
        entries.sort(Comparator.comparing(Entry::lastUse));
        for (Entry e : entries) {
            if (used + size <= maxBytes) {
                return;
            }
            if (!e.key().equals(key) && !needed.test(e.key())) {
                Files.deleteIfExists(dir.resolve(e.key()));
                used -= e.size();
                LOG.infof("Evicted blob %s (%d bytes) from the seed cache: no published release needs it", e.key(),
                        e.size());
            }
        }
        if (used + size > maxBytes) {
            throw new IOException("The seed cache holds " + used + " bytes of blobs that published releases need; "
                    + key + " (" + size + " bytes) does not fit in " + maxBytes + " (starling.seed.cache-size)");
        }
    }

    private void copy(String key, long size, Path part) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long copied;
        try (InputStream in = new DigestInputStream(blobs.open(key, 0), sha256);
                FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = Channels.newOutputStream(channel);
            copied = in.transferTo(out);
            channel.force(true); // the rename must never publish bytes still in the page cache only
        }
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (copied != size || !actual.equals(key)) {
            throw new IOException("The store's blob " + key + " has " + copied + " bytes with SHA-256 " + actual
                    + "; expected " + size + " bytes: not cached");
        }
    }

    private void touch(Path copy) {
        try {
            Instant now = Instant.now();
            if (Files.getLastModifiedTime(copy).toInstant().isBefore(now.minus(TOUCH_EVERY))) {
                Files.setLastModifiedTime(copy, FileTime.from(now));
            }
        } catch (IOException e) {
            LOG.debugf("Cannot record the use of %s: %s", copy, e.getMessage());
        }
    }

    private record Entry(String key, long size, Instant lastUse) {
    }

    private List<Entry> entries() throws IOException {
        List<Entry> entries = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return entries;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                if (KEY.matcher(name).matches()) {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    entries.add(new Entry(name, a.size(), a.lastModifiedTime().toInstant()));
                }
            }
        }
        return entries;
    }
}
