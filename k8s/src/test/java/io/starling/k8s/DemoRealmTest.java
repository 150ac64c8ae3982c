package io.starling.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The demo overlay imports the quick start's realm. Kustomize reads no file outside the overlay's
 * folder (not even through a symbolic link), so the overlay holds a copy; it must stay the same
 * file, or the demo's clients, roles and secrets drift from what the quick start and the tests use.
 */
class DemoRealmTest {

    @Test
    void theDemoImportsTheQuickStartRealmUnchanged() throws IOException {
        Path original = ControlPlaneConfig.REPO.resolve("deploy/keycloak/realm-starling.json");
        Path copy = ManifestsTest.K8S.resolve("overlays/demo/keycloak/realm-starling.json");

        assertThat(Files.readString(copy)).as("cp %s %s", ControlPlaneConfig.REPO.relativize(original),
                ControlPlaneConfig.REPO.relativize(copy)).isEqualTo(Files.readString(original));
    }
}
