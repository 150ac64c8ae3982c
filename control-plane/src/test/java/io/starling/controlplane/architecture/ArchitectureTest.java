package io.starling.controlplane.architecture;

import io.starling.protocol.testing.PackageLayering;
import org.junit.jupiter.api.Test;

/**
 * The control plane's packages form a one-way graph, drawn in docs/architecture.md ("Packages").
 * A change that makes two features import each other, or a feature reach one it may not, fails
 * here with the offending class and line.
 */
class ArchitectureTest {

    // Top to bottom; each feature may use only those listed after it.
    private static final PackageLayering LAYERING = PackageLayering.of("io.starling.controlplane")
            .feature("production", "fleet", "signing")
            .feature("webhook", "rollout", "audit")
            .feature("rollout", "deployment", "fleet", "catalog", "site")
            .feature("checkin", "deployment", "fleet", "tracker", "signing", "site", "peertls")
            .feature("deployment", "fleet", "seed", "catalog", "site")
            .feature("fleet", "signing", "passkey", "site", "peertls")
            .feature("tracker", "seed", "catalog", "passkey", "site")
            .feature("seed", "catalog", "passkey", "peertls")
            .feature("signing", "catalog", "peertls")
            .feature("catalog")
            .feature("passkey", "site")
            .feature("site")
            .feature("peertls")
            .feature("audit")
            .feature("console")
            .foundation("common", "security", "database");

    @Test
    void noTwoPackagesDependOnEachOtherEvenThroughOthers() {
        LAYERING.checkNoCycles();
    }

    @Test
    void eachFeatureUsesOnlyTheFeaturesBelowIt() {
        LAYERING.checkEachUsesOnlyWhatItMay();
    }

    @Test
    void everyPackageHasAPlaceInTheLayering() {
        LAYERING.checkEveryPackageIsPlaced();
    }
}
