package io.starling.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The reading of the control plane's settings that ManifestsTest checks the manifests against. */
class ControlPlaneConfigTest {

    @Test
    void settingsOfNestedGroupsAndEnumsAreNamedAsSmallRyeNamesThem() {
        String source = """
                @ConfigMapping(prefix = "starling.blob-store")
                public interface BlobStoreConfig {

                    enum Type { FILE, S3 }

                    /** The kind; {@code file} by default. */
                    @WithDefault("file")
                    Type type();

                    S3 s3();

                    interface S3 {
                        /** The store's URL, e.g. {@code http://minio:9000}. */
                        Optional<URI> endpoint();

                        @WithDefault("false")
                        boolean pathStyle();
                    }
                }
                """;

        assertThat(ControlPlaneConfig.settingsOf(source)).containsExactlyInAnyOrder("starling.blob-store.type",
                "starling.blob-store.s3.endpoint", "starling.blob-store.s3.path-style");
    }

    @Test
    void theControlPlanesOwnSettingsAreKnownByTheirVariables() {
        ControlPlaneConfig config = ControlPlaneConfig.read();

        assertThat(config.knowsStarlingVariable("STARLING_SEED_LISTEN_INTERFACE")).isTrue();
        assertThat(config.knowsStarlingVariable("STARLING_FLEET_ENROLLMENT_LIMIT_BURST")).isTrue();
        assertThat(config.knowsStarlingVariable("STARLING_HOME")).isTrue();
        assertThat(config.knowsStarlingVariable("STARLING_OIDC_URL")).as("read by application.properties").isTrue();
        assertThat(config.knowsStarlingVariable("STARLING_SEED_LISTEN_INTERFAC")).isFalse();
    }
}
