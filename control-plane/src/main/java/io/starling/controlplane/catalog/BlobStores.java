package io.starling.controlplane.catalog;

import io.quarkus.runtime.Startup;
import io.starling.controlplane.common.StarlingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/** The {@link BlobStore} that starling.blob-store.type chooses. */
@ApplicationScoped
public class BlobStores {

    private static final Logger LOG = Logger.getLogger(BlobStores.class);
    /** Older unfinished uploads are left by a crash: no upload streams in for a day. */
    private static final Duration STALE_UPLOAD = Duration.ofDays(1);

    /**
     * Made at start rather than at the first upload or seed: the S3 SDK takes seconds to set up
     * (a replica's first catch-up paid them), and a missing setting stops the start instead.
     */
    @Produces
    @ApplicationScoped
    @Startup
    BlobStore blobStore(BlobStoreConfig config, CatalogConfig catalog, StarlingConfig starling,
            Instance<FileBlobStore> files) {
        if (config.type() == BlobStoreConfig.Type.FILE) {
            return files.get();
        }
        BlobStoreConfig.S3 s3 = config.s3();
        String bucket = s3.bucket().orElseThrow(() -> new IllegalStateException(
                "starling.blob-store.type=s3 needs starling.blob-store.s3.bucket"));
        S3BlobStore store = new S3BlobStore(client(s3), bucket, s3.partSize(), s3.partsInFlight(),
                starling.home().resolve("staging"));
        if (catalog.maxArtifactSize() > store.largestBlob()) {
            LOG.warnf("Artifacts up to %d bytes are accepted (starling.catalog.max-artifact-size) but parts of %d bytes "
                    + "hold %d at most: raise starling.blob-store.s3.part-size", catalog.maxArtifactSize(),
                    s3.partSize(), store.largestBlob());
        }
        LOG.infof("Blobs are stored in bucket %s at %s", bucket, s3.endpoint().map(Object::toString).orElse("AWS S3"));
        CompletableFuture.runAsync(() -> {
            store.clearStaging();
            store.sweep(STALE_UPLOAD);
        });
        return store;
    }

    void close(@Disposes BlobStore store) {
        if (store instanceof S3BlobStore s3) {
            s3.close();
        }
    }

    /**
     * A client for the configured store. Checksums only where S3 requires them: the SDK's default
     * (a CRC on every upload, 2.30 on) is refused by several S3-compatible stores, S3Proxy among
     * them, and the blob's SHA-256 is checked by the catalogue and the seeder anyway.
     *
     * <p>No aws-chunked bodies: over plain HTTP the SDK must sign the payload, and by default it
     * does so chunk by chunk in an {@code aws-chunked} body that the store has to decode. S3Proxy
     * decodes it one byte per call: profiled, that was most of its CPU and made the S3 upload 7 ×
     * slower than the file store's. Parts are in memory here, so the SDK hashes a part before
     * sending it as a plain body instead. Over HTTPS nothing changes: the payload goes unsigned
     * ({@code UNSIGNED-PAYLOAD}), TLS protects it, and the blob's SHA-256 is checked on every read.
     */
    public static S3Client client(BlobStoreConfig.S3 config) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(config.region()))
                .forcePathStyle(config.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(config.maxConnections()));
        config.endpoint().ifPresent(builder::endpointOverride);
        if (config.accessKey().isPresent() && config.secretKey().isPresent()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(config.accessKey().get(), config.secretKey().get())));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder.build();
    }
}
