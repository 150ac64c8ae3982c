package io.starling.controlplane.catalog;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.io.TempDirFactory;

/** The filesystem blob store, with O_DIRECT writes where the filesystem has them and without. */
class FileBlobStoreTest {

    private static final int PIECE = 256 * 1024;
    private static final String KEY = "ab".repeat(32);

    /** Under the build folder, which sits on the build's disk (java.io.tmpdir may be a tmpfs). */
    @TempDir(factory = BuildFolder.class)
    Path dir;

    static final class BuildFolder implements TempDirFactory {
        @Override
        public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws Exception {
            Path target = Files.createDirectories(Path.of("target"));
            return Files.createTempDirectory(target, "blob-store-test-");
        }
    }

    @Test
    void aBlobWrittenPastThePageCacheKeepsEveryByteAndItsExactLength() throws Exception {
        FileBlobStore store = new FileBlobStore(dir.resolve("blobs"), true);
        // Not a multiple of any disk block: the last write is padded on disk and cut back at commit.
        byte[] content = randomBytes(5 * PIECE + 1234);
        storeInPieces(store, content);

        assertTrue(store.writesDirect(), "a local disk (the test's temp folder) takes O_DIRECT");
        assertEquals(content.length, store.size(KEY));
        try (InputStream in = store.open(KEY, 0)) {
            assertArrayEquals(content, in.readAllBytes());
        }
    }

    @Test
    void withDirectIoOffBlobsGoThroughThePageCacheJustTheSame() throws Exception {
        FileBlobStore store = new FileBlobStore(dir.resolve("blobs"), false);
        byte[] content = randomBytes(3 * PIECE + 17);
        storeInPieces(store, content);

        assertFalse(store.writesDirect());
        try (InputStream in = store.open(KEY, 0)) {
            assertArrayEquals(content, in.readAllBytes());
        }
    }

    @Test
    void anAbortedBlobLeavesNoFileBehind() throws Exception {
        FileBlobStore store = new FileBlobStore(dir.resolve("blobs"), true);
        try (BlobStore.PendingBlob pending = store.begin()) {
            pending.writeAt(0, randomBytes(PIECE), PIECE);
        }
        assertFalse(store.exists(KEY));
        try (Stream<Path> left = Files.list(store.tmpDir())) {
            assertEquals(0, left.count());
        }
    }

    @Test
    void storingBytesAlreadyStoredKeepsTheStoredBlobAndDropsTheNewCopy() throws Exception {
        FileBlobStore store = new FileBlobStore(dir.resolve("blobs"), true);
        byte[] content = randomBytes(2 * PIECE + 99);
        storeInPieces(store, content);
        Path blob = store.localFile(KEY).orElseThrow();
        Object stored = Files.readAttributes(blob, BasicFileAttributes.class).fileKey();

        storeInPieces(store, content);

        assertEquals(stored, Files.readAttributes(blob, BasicFileAttributes.class).fileKey(), "the same file, not replaced");
        try (InputStream in = store.open(KEY, 0)) {
            assertArrayEquals(content, in.readAllBytes());
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (Stream<Path> left = Files.list(store.tmpDir())) {
                assertEquals(0, left.count(), "the second copy is deleted");
            }
        });
    }

    @Test
    void aWriteOffABlockBoundaryIsRefusedRatherThanCorruptingItsNeighbours() throws Exception {
        FileBlobStore store = new FileBlobStore(dir.resolve("blobs"), true);
        try (BlobStore.PendingBlob pending = store.begin()) {
            assumeTrue(store.writesDirect(), "this filesystem refused O_DIRECT");
            assertThrows(IllegalArgumentException.class, () -> pending.writeAt(1000, new byte[10], 10));
        }
    }

    /** Writes the pieces from two threads in shuffled order, as the hashing pool does. */
    private static void storeInPieces(FileBlobStore store, byte[] content) throws Exception {
        List<Integer> pieces = new ArrayList<>();
        for (int i = 0; i * PIECE < content.length; i++) {
            pieces.add(i);
        }
        Collections.shuffle(pieces, new Random(7));
        try (BlobStore.PendingBlob pending = store.begin()) {
            PieceWrites.writeAndCommit(pending, content, PIECE, pieces, 2, KEY);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
