package io.starling.controlplane.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The S3 blob store against a real S3-compatible server (S3Proxy), with 5 MiB parts. */
class S3BlobStoreTest {

    private static final int PIECE = 256 * 1024;
    private static final int PART = S3BlobStore.MIN_PART_SIZE;

    private S3Client client;
    private String bucket;
    private S3BlobStore store;

    @BeforeEach
    void newBucket() {
        S3Proxy proxy = S3Proxy.get();
        bucket = proxy.newBucket();
        client = BlobStores.client(proxy.config(bucket));
        store = new S3BlobStore(BlobStores.client(proxy.config(bucket)), bucket, PART);
    }

    @AfterEach
    void closeClients() {
        store.close();
        client.close();
    }

    @Test
    void aBlobWrittenFromSeveralThreadsAcrossPartsReadsBackWholeAndByRange() throws Exception {
        byte[] content = randomBytes(3 * PART + PART / 2 + 123);
        String key = sha256(content);

        storeInPieces(store.begin(), content, key);

        assertThat(store.exists(key)).isTrue();
        assertThat(store.size(key)).isEqualTo(content.length);
        assertThat(store.localFile(key)).isEmpty();
        try (InputStream in = store.open(key, 0)) {
            assertArrayEquals(content, in.readAllBytes());
        }
        long offset = PART - 10; // a range across a part boundary, to the end
        try (InputStream in = store.open(key, offset)) {
            assertArrayEquals(Arrays.copyOfRange(content, (int) offset, content.length), in.readAllBytes());
        }
        assertThat(objects()).containsExactly("blobs/" + key); // the temporary object is gone
        assertThat(unfinishedUploads()).isZero();
    }

    @Test
    void aBlobWhoseHashWasDeclaredGoesToItsKeyDirectly() throws Exception {
        byte[] content = randomBytes(2 * PART + 77);
        String key = sha256(content);

        storeInPieces(store.begin(key), content, key);

        try (InputStream in = store.open(key, 0)) {
            assertArrayEquals(content, in.readAllBytes());
        }
        assertThat(objects()).containsExactly("blobs/" + key);
    }

    @Test
    void anUploadInPartsReadsBackWhatArrivedBeforeItIsCommittedAndLeavesNoStagedFile(@TempDir Path staging)
            throws Exception {
        S3BlobStore staged = new S3BlobStore(BlobStores.client(S3Proxy.get().config(bucket)), bucket, PART,
                S3BlobStore.DEFAULT_PARTS_IN_FLIGHT, staging);
        byte[] content = randomBytes(2 * PART + PIECE + 9);
        String key = sha256(content);
        try (BlobStore.PendingBlob pending = staged.beginReadable()) {
            int second = PART; // the second half arrives first, as parts in flight do
            pending.writeAt(second, Arrays.copyOfRange(content, second, content.length), content.length - second);
            pending.writeAt(0, Arrays.copyOfRange(content, 0, second), second);
            try (InputStream in = pending.read(PIECE)) {
                assertArrayEquals(Arrays.copyOfRange(content, PIECE, content.length), in.readAllBytes());
            }
            assertThat(objects()).isEmpty(); // nothing reaches the bucket before the upload is complete
            pending.commit(key);
        } finally {
            staged.close();
        }
        try (InputStream in = store.open(key, 0)) {
            assertArrayEquals(content, in.readAllBytes());
        }
        assertThat(objects()).containsExactly("blobs/" + key);
        try (var left = Files.list(staging)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aBlobSmallerThanAPartIsStoredInOneRequest() throws Exception {
        byte[] content = randomBytes(3 * PIECE + 5);
        String key = sha256(content);

        storeInPieces(store.begin(), content, key);

        try (InputStream in = store.open(key, 0)) {
            assertArrayEquals(content, in.readAllBytes());
        }
        assertThat(objects()).containsExactly("blobs/" + key);
    }

    @Test
    void anAbortedUploadLeavesNothingInTheBucket() throws Exception {
        byte[] content = randomBytes(2 * PART + PIECE);
        try (BlobStore.PendingBlob pending = store.begin()) {
            for (int from = 0; from < content.length; from += PIECE) {
                pending.writeAt(from, Arrays.copyOfRange(content, from, from + PIECE), PIECE);
            }
            // closed without a commit: the two parts already sent are discarded
        }
        assertThat(objects()).isEmpty();
        assertThat(unfinishedUploads()).isZero();
        assertThat(store.exists(sha256(content))).isFalse();
    }

    @Test
    void aBlobAlreadyStoredUnderTheKeyWins() throws Exception {
        byte[] first = randomBytes(PART + 1);
        String key = sha256(first);
        storeInPieces(store.begin(), first, key);

        byte[] other = randomBytes(PART + 2);
        storeInPieces(store.begin(), other, key);

        assertTheBucketHoldsOnly(key, first);
    }

    @Test
    void aDeclaredHashThatDoesNotMatchStoresNothing() throws Exception {
        byte[] content = randomBytes(PART + 3);
        String declared = "ab".repeat(32);

        assertThrows(IOException.class, () -> storeInPieces(store.begin(declared), content, sha256(content)));

        assertThat(objects()).isEmpty();
        assertThat(unfinishedUploads()).isZero();
    }

    @Test
    void aDeletedBlobIsGone() throws Exception {
        byte[] content = randomBytes(PIECE);
        String key = sha256(content);
        storeInPieces(store.begin(), content, key);

        store.delete(key);

        assertThat(store.exists(key)).isFalse();
        assertThrows(NoSuchFileException.class, () -> store.size(key));
        assertThrows(NoSuchFileException.class, () -> store.open(key, 0));
        assertThat(objects()).isEmpty();
    }

    @Test
    void partsAreSentWhileTheNextOnesFillButNoMoreThanPartsInFlightAtOnce(@TempDir Path staging) throws Exception {
        SlowParts slow = new SlowParts(BlobStores.client(S3Proxy.get().config(bucket)));
        S3BlobStore twoAtOnce = new S3BlobStore(slow.client(), bucket, PART, 2, staging);
        byte[] content = randomBytes(6 * PART + 11);
        String key = sha256(content);
        try {
            storeInPieces(twoAtOnce.begin(), content, key);
        } finally {
            twoAtOnce.close();
        }

        assertThat(slow.mostAtOnce.get()).isEqualTo(2); // the writers went on while parts were sent, up to the bound
        assertTheBucketHoldsOnly(key, content);
    }

    @Test
    void aPartTheStoreRefusesFailsTheUploadAndLeavesNothing() throws Exception {
        String missing = bucket + "-missing";
        S3BlobStore nowhere = new S3BlobStore(BlobStores.client(S3Proxy.get().config(missing)), missing, PART);
        byte[] content = randomBytes(3 * PART + 1);
        try {
            assertThrows(Exception.class, () -> storeInPieces(nowhere.begin(), content, sha256(content)));
        } finally {
            nowhere.close();
        }
        assertThat(objects()).isEmpty();
    }

    /** An S3 client whose part uploads take a while, counting how many run at once. */
    private static final class SlowParts implements InvocationHandler {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger mostAtOnce = new AtomicInteger();
        private final S3Client real;

        SlowParts(S3Client real) {
            this.real = real;
        }

        S3Client client() {
            return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class},
                    this);
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            boolean part = method.getName().equals("uploadPart");
            if (part) {
                mostAtOnce.accumulateAndGet(now.incrementAndGet(), Math::max);
                Thread.sleep(200);
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            } finally {
                if (part) {
                    now.decrementAndGet();
                }
            }
        }
    }

    /** Pieces from three threads, a few out of order, as the hashing pool's writers hand them over. */
    private static void storeInPieces(BlobStore.PendingBlob blob, byte[] content, String key) throws Exception {
        List<Integer> order = new ArrayList<>();
        int pieces = (content.length + PIECE - 1) / PIECE;
        for (int i = 0; i < pieces; i++) {
            order.add(i % 2 == 0 && i + 1 < pieces ? i + 1 : (i % 2 == 1 ? i - 1 : i)); // neighbours swapped
        }
        try (BlobStore.PendingBlob pending = blob) {
            PieceWrites.writeAndCommit(pending, content, PIECE, order, 3, key);
        }
    }

    /** The blob reads back as {@code content}, and nothing else is in the bucket: no object, no unfinished upload. */
    private void assertTheBucketHoldsOnly(String key, byte[] content) throws IOException {
        try (InputStream in = store.open(key, 0)) {
            assertArrayEquals(content, in.readAllBytes());
        }
        assertThat(objects()).containsExactly("blobs/" + key);
        assertThat(unfinishedUploads()).isZero();
    }

    private List<String> objects() {
        return client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }

    private int unfinishedUploads() {
        return client.listMultipartUploads(b -> b.bucket(bucket)).uploads().size();
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
