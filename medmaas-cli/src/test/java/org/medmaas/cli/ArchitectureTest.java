package org.medmaas.cli;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.Test;

/**
 * Keeps module dependencies one-way, as docs/architecture.md draws them: core ← data ← ml ← diagnosis ← cli.
 * This module depends on all the others, so its test class path sees every production class.
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.medmaas");

    @Test
    void layersPointOneWay() {
        Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("core").definedBy("org.medmaas.core..")
                .layer("data").definedBy("org.medmaas.data..")
                .layer("ml").definedBy("org.medmaas.ml..")
                .layer("diagnosis").definedBy("org.medmaas.diagnosis..")
                .layer("registry").definedBy("org.medmaas.registry..")
                .layer("server").definedBy("org.medmaas.server..")
                .layer("cli").definedBy("org.medmaas.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("server").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("registry").mayOnlyBeAccessedByLayers("server", "cli")
                .whereLayer("diagnosis").mayOnlyBeAccessedByLayers("server", "cli")
                .whereLayer("ml").mayOnlyBeAccessedByLayers("diagnosis", "registry", "server", "cli")
                .whereLayer("data").mayOnlyBeAccessedByLayers("ml", "diagnosis", "registry", "server", "cli")
                .whereLayer("core").mayOnlyBeAccessedByLayers("data", "ml", "diagnosis", "registry", "server", "cli")
                .check(CLASSES);
    }

    @Test
    void coreUsesNoThirdPartyLibraryButJackson() {
        noClasses().that().resideInAPackage("org.medmaas.core..")
                .should().dependOnClassesThat().resideOutsideOfPackages("org.medmaas.core..", "java..",
                        "com.fasterxml.jackson..")
                .check(CLASSES);
    }

    @Test
    void noJavaSerialization() {
        noClasses().should().dependOnClassesThat().haveFullyQualifiedName("java.io.ObjectOutputStream")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("java.io.ObjectInputStream")
                .check(CLASSES);
    }

    @Test
    void dataPackagesHaveNoCycles() {
        slices().matching("org.medmaas.data.(*)..").should().beFreeOfCycles().check(CLASSES);
    }
}
