package io.starling.controlplane.catalog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
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

    /** Piece buffers per upload; bounds an upload's memory to this × piece length. */
    @WithDefault("6")
    int piecesInFlight();
}
