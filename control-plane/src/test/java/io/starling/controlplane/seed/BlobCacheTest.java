package io.starling.controlplane.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.starling.protocol.testing.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seeder's local copies of blobs kept in an object store. */
class BlobCacheTest {

    @TempDir
    Path dir;

    private final MemoryBlobStore store = new MemoryBlobStore();

    @Test
    void aBlobIsCopiedOnFirstDemandAndReusedAfter() throws Exception {
        String key = store.put(bytes(1000, 1));
        BlobCache cache = new BlobCache(dir, 10_000, store);
        assertThat(cache.localFile(key)).isEmpty();

        Path copy = cache.fill(key, 1000, k -> true);

        assertThat(Sha256.hex(copy)).isEqualTo(key);
        store.reads = 0;
        assertThat(cache.fill(key, 1000, k -> true)).isEqualTo(copy);
        assertThat(store.reads).isZero();
        assertThat(cache.localFile(key)).contains(copy);
    }

    @Test
    void blobsNoPublishedReleaseNeedsAreEvictedLeastRecentlyUsedFirst() throws Exception {
        String old = store.put(bytes(400, 1));
        String recent = store.put(bytes(400, 2));
        String published = store.put(bytes(400, 3));
        BlobCache cache = new BlobCache(dir, 1300, store);
        Set<String> needed = Set.of(published);
        Files.setLastModifiedTime(cache.fill(published, 400, needed::contains), FileTime.from(Instant.now().minusSeconds(900)));
        Files.setLastModifiedTime(cache.fill(old, 400, needed::contains), FileTime.from(Instant.now().minusSeconds(600)));
        cache.fill(recent, 400, needed::contains);

        String next = store.put(bytes(400, 4));
        cache.fill(next, 400, needed::contains);

        assertThat(cache.localFile(old)).isEmpty();
        assertThat(cache.localFile(published)).isPresent(); // older, but a swarm may need it
        assertThat(cache.localFile(recent)).isPresent();
        assertThat(cache.usedBytes()).isEqualTo(1200);
    }

    @Test
    void aFullCacheOfNeededBlobsRefusesTheNextOneAndKeepsThem() throws Exception {
        String a = store.put(bytes(600, 1));
        String b = store.put(bytes(600, 2));
        BlobCache cache = new BlobCache(dir, 1000, store);
        cache.fill(a, 600, k -> true);

        IOException e = assertThrows(IOException.class, () -> cache.fill(b, 600, k -> true));

        assertThat(e).hasMessageContaining("starling.seed.cache-size");
        assertThat(cache.localFile(a)).isPresent();
        assertThat(cache.localFile(b)).isEmpty();
    }

    @Test
    void bytesThatDoNotMatchTheirKeyAreNotCached() throws Exception {
        String key = store.put(bytes(500, 1));
        store.objects.put(key, bytes(500, 2));
        BlobCache cache = new BlobCache(dir, 10_000, store);

        assertThrows(IOException.class, () -> cache.fill(key, 500, k -> true));

        assertThat(cache.localFile(key)).isEmpty();
        try (var files = Files.list(dir.resolve("tmp"))) {
            assertThat(files).isEmpty();
        }
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }
}
