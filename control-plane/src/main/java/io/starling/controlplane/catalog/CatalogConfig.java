package io.starling.controlplane.catalog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "starling.catalog")
public interface CatalogConfig {

    /** Largest artifact accepted, in bytes (20 GiB). Checked against Content-Length before reading. */
    @WithDefault("21474836480")
    long maxArtifactSize();

    /** Where blobs live. Unset: {@code ${starling.home}/blobs}. */
    Optional<Path> blobDir();

    /** Threads hashing pieces while an upload streams in; one per core saturates SHA-NI. */
    @WithDefault("2")
    int hashThreads();

    /** Threads writing hashed pieces to the blob store; two keep a disk busy while the other waits. */
    @WithDefault("2")
    int writeThreads();

    /**
     * Write uploaded blobs with O_DIRECT, past the page cache, where the filesystem allows it
     * (others, such as tmpfs, fall back to ordinary writes by themselves). Copying a fresh upload
     * into the page cache cost 2–3 s per GB on the benchmark machine, more than hashing it.
     */
    @WithDefault("true")
    boolean directIo();

    /** Piece buffers per upload; bounds an upload's memory to this × piece length. */
    @WithDefault("6")
    int piecesInFlight();

    /**
     * Uploads that stream at the same time; more wait for a slot. Each keeps both cores of the
     * benchmark machine busy on its own and holds up to 16 MiB of network buffers (off the heap)
     * plus pieces-in-flight × piece length of heap, so a burst of uploads queues instead of
     * running the control plane out of memory. A waiting upload is told to continue only once it
     * has a slot (curl then sends nothing for a second, and is slowed down by TCP after that).
     */
    @WithDefault("4")
    int concurrentUploads();

    /** How long an upload waits for a slot before it is refused (503, try again later). */
    @WithDefault("2M")
    Duration uploadSlotWait();

    /**
     * Size of the parts of an upload in parts (the console's), rounded up to a whole number of
     * pieces. 1 GiB: a file up to that size goes up as one part, which the browser sends as the
     * {@code File} itself; a slice of a file costs chromium about twice the CPU per byte, so 64 MiB
     * parts uploaded at 0.19 x {@code curl -T} where one part reaches 0.45 x on 2 cores
     * (docs/benchmarks.md, "Console"). Larger files still go in parts, so a dropped connection
     * costs at most one part.
     */
    @WithDefault("1073741824")
    long partSize();

    /** An upload in parts that received nothing for this long is abandoned: its bytes are freed. */
    @WithDefault("1H")
    Duration partedUploadExpiry();
}
