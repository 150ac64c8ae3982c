package io.starling.controlplane.catalog;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.util.Optional;

/**
 * Where artifact bytes are kept. {@code file} (the default) keeps them under
 * {@code starling.catalog.blob-dir}; {@code s3} in a bucket of an S3-compatible object store, so
 * that several replicas share them.
 */
@ConfigMapping(prefix = "starling.blob-store")
public interface BlobStoreConfig {

    enum Type { FILE, S3 }

    @WithDefault("file")
    Type type();

    S3 s3();

    interface S3 {
        /** The store's URL, e.g. {@code http://minio:9000}. Unset: AWS S3 in {@link #region()}. */
        Optional<URI> endpoint();

        /** The bucket; it must exist. Required with {@code type=s3}. */
        Optional<String> bucket();

        @WithDefault("us-east-1")
        String region();

        /** Unset, with the secret key unset too: the SDK's default chain (environment, profile, instance role). */
        Optional<String> accessKey();

        Optional<String> secretKey();

        /** Bucket in the path ({@code endpoint/bucket/key}) rather than the host name: most non-AWS stores want it. */
        @WithDefault("false")
        boolean pathStyle();

        /**
         * Bytes per multipart part, at least 5 MiB (the S3 minimum). An upload holds a few parts
         * in memory while they fill; 10,000 parts at most make 8 MiB parts good for 78 GiB.
         */
        @WithDefault("8388608")
        int partSize();

        /**
         * Parts of one upload sent to the store at once, while the next ones fill. Each holds
         * {@link #partSize()} bytes of heap until the store has it; more help against a distant
         * store with high latency.
         */
        @WithDefault("4")
        int partsInFlight();

        /** Parallel connections to the store (part uploads, web seed reads, cache fills). */
        @WithDefault("64")
        int maxConnections();
    }
}
