package io.starling.protocol.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.starling.protocol.testing.PackageLayering;
import org.junit.jupiter.api.Test;

/**
 * The contract both sides share: plain Java with a one-way package graph, drawn in
 * docs/architecture.md ("Packages"). It may not pull Quarkus or Jakarta into the agent.
 */
class ArchitectureTest {

    private static final String ROOT = "io.starling.protocol";

    // Top to bottom; each package may use only those listed after it.
    private static final PackageLayering LAYERING = PackageLayering.of(ROOT)
            .feature("assignment", "agent", "manifest")
            .feature("agent", "keys", "manifest")
            .feature("keys", "manifest", "names")
            .feature("manifest")
            .feature("torrent", "bencode")
            .feature("bencode")
            .feature("names");

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

    @Test
    void theContractIsPlainJava() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.quarkus..", "jakarta..", "io.vertx..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages(ROOT));
    }
}
