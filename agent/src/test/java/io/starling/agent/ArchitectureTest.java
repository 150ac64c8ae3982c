package io.starling.agent;

import io.starling.protocol.testing.PackageLayering;
import org.junit.jupiter.api.Test;

/** The agent's packages form a one-way graph, drawn in docs/architecture.md ("Packages"). */
class ArchitectureTest {

    // Top to bottom; each package may use only those listed after it.
    private static final PackageLayering LAYERING = PackageLayering.of("io.starling.agent")
            .feature("cli", "sync", "swarm", "state", "config")
            .feature("sync", "install", "swarm", "verify", "state", "config")
            .feature("install", "state")
            .feature("swarm", "state")
            .feature("verify", "state")
            .feature("state")
            .feature("config");

    @Test
    void noTwoPackagesDependOnEachOtherEvenThroughOthers() {
        LAYERING.checkNoCycles();
    }

    @Test
    void eachPackageUsesOnlyThePackagesBelowIt() {
        LAYERING.checkEachUsesOnlyWhatItMay();
    }

    @Test
    void everyPackageHasAPlaceInTheLayering() {
        LAYERING.checkEveryPackageIsPlaced();
    }
}
