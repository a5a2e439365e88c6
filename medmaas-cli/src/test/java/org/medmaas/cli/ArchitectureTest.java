package org.medmaas.cli;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.library.Architectures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keeps module dependencies one-way, as docs/architecture.md draws them: core ← data ← ml ← services ← server ← cli,
 * core ← registry ← server. Service modules never depend on each other; the registry never on ml or data (bundles
 * are a core format); the server and the CLI name a service only in their one registration line each (plus the
 * commands and routes that are a service's own tools). This module depends on all the others, so its test class
 * path sees every production class.
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
                .whereLayer("ml").mayOnlyBeAccessedByLayers("diagnosis", "server", "cli")
                .whereLayer("data").mayOnlyBeAccessedByLayers("ml", "diagnosis", "server", "cli")
                .whereLayer("core").mayOnlyBeAccessedByLayers("data", "ml", "diagnosis", "registry", "server", "cli")
                .check(CLASSES);
    }

    /** The service modules, present and planned (docs/architecture.md). */
    static final List<String> SERVICES = List.of("diagnosis", "treatment", "drug", "allocation", "privacy", "text");

    /** No service module depends on another. */
    static ArchRule servicesAreIndependent() {
        List<ArchRule> rules = new ArrayList<>();
        for (String service : SERVICES) {
            String[] others = SERVICES.stream().filter(s -> !s.equals(service)).map(s -> "org.medmaas." + s + "..")
                    .toArray(String[]::new);
            rules.add(noClasses().that().resideInAPackage("org.medmaas." + service + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .because("services plug into core's serving port and never into each other")
                    .allowEmptyShould(true)); // the modules still to come have no classes yet
        }
        CompositeArchRule all = CompositeArchRule.of(rules.get(0));
        for (ArchRule rule : rules.subList(1, rules.size())) {
            all = all.and(rule);
        }
        return all;
    }

    private static String[] servicePackages() {
        return SERVICES.stream().map(s -> "org.medmaas." + s + "..").toArray(String[]::new);
    }

    @Test
    void servicesNeverDependOnEachOther() {
        servicesAreIndependent().check(CLASSES);
    }

    @Test
    void theServiceRuleRefusesADeliberateViolation() {
        JavaClasses violation = new ClassFileImporter().importClasses(org.medmaas.treatment.ArchitectureViolationFixture.class,
                org.medmaas.diagnosis.DiagnosisService.class);
        assertThatThrownBy(() -> servicesAreIndependent().check(violation)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("ArchitectureViolationFixture").hasMessageContaining("DiagnosisService");
    }

    @Test
    void theRegistryUsesNoMlEngineNoDataModuleAndNoService() {
        noClasses().that().resideInAPackage("org.medmaas.registry..")
                .should().dependOnClassesThat().resideInAnyPackage("org.medmaas.ml..", "org.medmaas.data..",
                        "ml.dmlc..", "ai.djl..", "ai.onnxruntime..", "de.bwaldvogel..")
                .orShould().dependOnClassesThat().resideInAnyPackage(servicePackages())
                .check(CLASSES);
    }

    @Test
    void theServerNamesServicesOnlyInItsRegistrationLine() {
        // Services is the registration line; the management API imports ONNX models as diagnosis
        // bundles (a diagnosis tool, to move behind the port when a second service imports models).
        noClasses().that().resideInAPackage("org.medmaas.server..")
                .and().doNotHaveFullyQualifiedName("org.medmaas.server.Services")
                .and().resideOutsideOfPackage("org.medmaas.server.management..")
                .should().dependOnClassesThat().resideInAnyPackage(servicePackages())
                .orShould().dependOnClassesThat().resideInAPackage("org.medmaas.ml..")
                .check(CLASSES);
    }

    @Test
    void theProtocolHttpAndServingPackagesWorkThroughThePortOnly() {
        noClasses().that().resideInAnyPackage("org.medmaas.server.protocol..", "org.medmaas.server.http..",
                        "org.medmaas.server.serving..")
                .should().dependOnClassesThat().resideInAnyPackage(servicePackages())
                .orShould().dependOnClassesThat().resideInAnyPackage("org.medmaas.ml..", "org.medmaas.server.management..")
                .check(CLASSES);
    }

    @Test
    void httpPlumbingKnowsNoServingProtocolOrManagement() {
        noClasses().that().resideInAPackage("org.medmaas.server.http..")
                .should().dependOnClassesThat().resideInAnyPackage("org.medmaas.server.serving..",
                        "org.medmaas.server.protocol..", "org.medmaas.server.management..")
                .check(CLASSES);
    }

    @Test
    void predictionOnTheCommandLineGoesThroughThePort() {
        noClasses().that().haveSimpleNameStartingWith("PredictCommand")
                .should().dependOnClassesThat().resideInAnyPackage(servicePackages())
                .check(CLASSES);
    }

    @Test
    void coreUsesNoThirdPartyLibraryButJackson() {
        noClasses().that().resideInAPackage("org.medmaas.core..")
                .should().dependOnClassesThat().resideOutsideOfPackages("org.medmaas.core..", "java..",
                        "javax.crypto..", "com.fasterxml.jackson..") // javax.crypto: the JDK's HMAC, for KeySource
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
