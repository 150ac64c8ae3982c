package io.starling.controlplane.testing;

import static io.starling.controlplane.testing.Api.as;

import io.starling.protocol.testing.Sha256;

/** One artifact published through the API, with what a download test needs to check it. */
public record PublishedArtifact(String product, String infoHash, String sha256, byte[] torrent) {

    /** Publishes {@code size} random bytes as {@code app.bin} of a new product's release 1.0. */
    public static PublishedArtifact publish(String prefix, int size) {
        byte[] data = Api.bytes(size);
        String product = Api.newProduct(prefix);
        Api.newRelease(product, "1.0");
        Api.upload(product, "1.0", "app.bin", data);
        Api.publish(product, "1.0");
        String infoHash = as(Tokens.viewer()).get("/api/v1/products/{p}/releases/1.0", product).then().statusCode(200)
                .extract().path("artifacts[0].infoHashV1");
        byte[] torrent = as(Tokens.admin()).get("/api/v1/products/{p}/releases/1.0/artifacts/app.bin/torrent", product)
                .then().statusCode(200).extract().asByteArray();
        return new PublishedArtifact(product, infoHash, Sha256.hex(data), torrent);
    }
}
