package io.starling.protocol.testing;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A module's packages and which of them each may use, checked against its compiled classes
 * (tests excluded). Each module's {@code ArchitectureTest} lists its packages top to bottom: a
 * package may use only packages listed after it, so the graph stays one-way by construction.
 */
public final class PackageLayering {

    private final String root;
    private final Map<String, Set<String>> mayUse = new LinkedHashMap<>();
    private final Set<String> foundation = new TreeSet<>();
    private JavaClasses classes;

    private PackageLayering(String root) {
        this.root = root;
    }

    public static PackageLayering of(String rootPackage) {
        return new PackageLayering(rootPackage);
    }

    /** Packages every other may use; they use only each other. */
    public PackageLayering foundation(String... packages) {
        foundation.addAll(List.of(packages));
        return this;
    }

    /** The next package down, and the ones below it that it may use. */
    public PackageLayering feature(String name, String... uses) {
        mayUse.put(name, Set.of(uses));
        return this;
    }

    /** No two packages depend on each other, directly or through others. */
    public void checkNoCycles() {
        slices().matching(root + ".(*)..").should().beFreeOfCycles().check(classes());
    }

    /** Each package uses only what its line allows (and the foundation). */
    public void checkEachUsesOnlyWhatItMay() {
        List<String> order = new ArrayList<>(mayUse.keySet());
        mayUse.forEach((p, uses) -> uses.forEach(u -> assertThat(order.indexOf(u))
                .as("%s may use %s, so %s must be listed after it", p, u, u)
                .isGreaterThan(order.indexOf(p))));
        LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String p : all()) {
            layers = layers.layer(p).definedBy(root + "." + p + "..");
        }
        for (String p : foundation) {
            layers = layers.whereLayer(p).mayOnlyAccessLayers(foundation.toArray(String[]::new));
        }
        for (Map.Entry<String, Set<String>> e : mayUse.entrySet()) {
            Set<String> allowed = new TreeSet<>(e.getValue());
            allowed.addAll(foundation);
            allowed.add(e.getKey());
            layers = layers.whereLayer(e.getKey()).mayOnlyAccessLayers(allowed.toArray(String[]::new));
        }
        layers.check(classes());
    }

    /** A new package has to be placed (here and in docs/architecture.md) before it can be used. */
    public void checkEveryPackageIsPlaced() {
        Set<String> packages = classes().stream()
                .map(JavaClass::getPackageName)
                .filter(n -> n.startsWith(root + "."))
                .map(n -> n.substring(root.length() + 1).split("\\.")[0])
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(all()).as("packages of %s with a place in the layering", root).containsAll(packages);
        assertThat(classes().stream().filter(c -> c.getPackageName().equals(root)).map(JavaClass::getName))
                .as("classes belong to a feature package, not the root").isEmpty();
    }

    private Set<String> all() {
        Set<String> all = new TreeSet<>(mayUse.keySet());
        all.addAll(foundation);
        return all;
    }

    private JavaClasses classes() {
        if (classes == null) {
            classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages(root);
        }
        return classes;
    }
}
