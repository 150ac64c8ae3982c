package io.starling.controlplane.production;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDefaultsTest {

    @TempDir
    Path dir;

    @Test
    void theQuickStartsSetupIsRefusedWithOneReasonPerDefault() throws IOException {
        Path key = key("rw-r--r--");
        assertThat(DemoDefaults.found(new DemoDefaults.Facts(DemoDefaults.SHIPPED_CLIENT_SECRET, true, key, true, true)))
                .satisfiesExactly(
                        r -> assertThat(r).startsWith("starling.fleet.keycloak.client-secret is the quick-start"),
                        r -> assertThat(r).startsWith("starling.signing.generate-if-missing is true"),
                        r -> assertThat(r).isEqualTo("the manifest signing key " + key + " is readable by others"
                                + " (chmod 600 " + key + ", owned by the user the control plane runs as)"),
                        r -> assertThat(r).startsWith("no quarkus.datasource.jdbc.url"),
                        r -> assertThat(r).startsWith("quarkus.http.proxy.proxy-address-forwarding is true but"
                                + " quarkus.http.proxy.trusted-proxies is empty"));
    }

    @Test
    void aProductionSetupPasses() throws IOException {
        assertThat(DemoDefaults.found(new DemoDefaults.Facts("s3cr3t-from-the-vault", false, key("rw-------"),
                false, false))).isEmpty();
    }

    @Test
    void aMissingKeyIsNamed() {
        Path missing = dir.resolve("nope.pem");
        assertThat(DemoDefaults.found(new DemoDefaults.Facts("x", false, missing, false, false)))
                .containsExactly("the manifest signing key " + missing + " does not exist");
    }

    @Test
    void aGroupReadableKeyIsRefusedToo() throws IOException {
        assertThat(DemoDefaults.found(new DemoDefaults.Facts("x", false, key("rw-r-----"), false, false)))
                .singleElement().asString().contains("is readable by others");
    }

    private Path key(String perms) throws IOException {
        Path key = dir.resolve("manifest-signing.pem");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(perms));
        return key;
    }
}
