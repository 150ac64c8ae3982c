package io.starling.controlplane.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the seeder's cache tells the operator when a blob cannot be put on disk, which it asks every catch-up. */
class SeedCacheTest {

    @TempDir
    Path dir;

    private final MemoryBlobStore store = new MemoryBlobStore();
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(SeedCache.class.getName());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        logger.addHandler(handler);
    }

    @AfterEach
    void stopListening() {
        logger.removeHandler(handler);
    }

    @Test
    void aBlobThatDoesNotFitIsLoggedAsAnErrorOnceNotAtEveryCatchUp() {
        String needed = store.put(new byte[600]);
        String large = store.put(new byte[700]);
        SeedCache cache = new SeedCache(new BlobCache(dir, 1000, store), key -> true);
        assertThat(cache.localFile(needed, 600, "first.bin")).isPresent();

        for (int catchUp = 0; catchUp < 5; catchUp++) {
            assertThat(cache.localFile(large, 700, "large.bin")).isEmpty();
        }

        assertThat(errors()).singleElement().asString().contains(large).contains("large.bin")
                .contains("starling.seed.cache-size");
    }

    @Test
    void aBlobThatFitsAfterAllIsLoggedAsOnDiskWithoutAnotherError() {
        String needed = store.put(new byte[600]);
        String large = store.put(new byte[700]);
        boolean[] firstStillNeeded = {true};
        SeedCache cache = new SeedCache(new BlobCache(dir, 1000, store), key -> firstStillNeeded[0]);
        cache.localFile(needed, 600, "first.bin");
        cache.localFile(large, 700, "large.bin");
        cache.localFile(large, 700, "large.bin");

        firstStillNeeded[0] = false; // its release was revoked: its copy may go
        assertThat(cache.localFile(large, 700, "large.bin")).isPresent();

        assertThat(errors()).hasSize(1);
        assertThat(logged).filteredOn(r -> r.getLevel().intValue() == Level.INFO.intValue())
                .anySatisfy(r -> assertThat(format(r)).contains("is on this server's disk now"));
    }

    private List<String> errors() {
        return logged.stream().filter(r -> r.getLevel().intValue() >= Level.SEVERE.intValue()).map(SeedCacheTest::format)
                .toList();
    }

    private static String format(LogRecord r) {
        Object[] p = r.getParameters();
        return p == null || p.length == 0 ? r.getMessage() : String.format(r.getMessage(), p);
    }
}
