package io.starling.controlplane.catalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Writes a blob's pieces from several threads in a given order, as the hashing pool's writers hand them over. */
final class PieceWrites {

    private PieceWrites() {
    }

    /** Writes every piece in {@code order} from {@code threads} threads, waits for all, then commits under {@code key}. */
    static void writeAndCommit(BlobStore.PendingBlob pending, byte[] content, int pieceLength, List<Integer> order,
            int threads, String key) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (int piece : order) {
                writes.add(pool.submit(() -> {
                    int from = piece * pieceLength;
                    byte[] bytes = Arrays.copyOfRange(content, from, Math.min(content.length, from + pieceLength));
                    pending.writeAt(from, bytes, bytes.length);
                    return null;
                }));
            }
            for (Future<?> w : writes) {
                w.get();
            }
            pending.commit(key);
        } finally {
            pool.shutdownNow();
        }
    }
}
