package io.starling.controlplane.catalog;

/**
 * Keeps a release's signed manifest valid when someone assigns it again. Manifests of superseded
 * releases are left to expire; a deployment or rollout created later for one must not send agents
 * a manifest they refuse as expired. Implemented by signing, which sits above the catalogue.
 */
public interface ManifestRenewal {

    /**
     * Signs the release's manifest again if it expires within the renewal window. Call inside the
     * transaction that holds the release's row lock ({@link Catalog#lockRelease}) and saw it published.
     */
    void renewIfExpiring(Release release);
}
