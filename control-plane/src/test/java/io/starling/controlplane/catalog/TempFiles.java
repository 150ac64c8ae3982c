package io.starling.controlplane.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The blob store's temp folder, where uploads on their way live: empty again once they are over. */
final class TempFiles {

    private TempFiles() {
    }

    /** Waits up to 10 s for every temp file to go (a replaced copy is removed in the background). */
    static void awaitNone(FileBlobStore blobs) throws IOException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (Stream<Path> files = Files.list(blobs.tmpDir())) {
                if (files.findAny().isEmpty()) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                try (Stream<Path> files = Files.list(blobs.tmpDir())) {
                    assertThat(files.toList()).as("temp files left behind").isEmpty();
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
