package org.medmaas.cli;

import java.nio.file.Path;
import org.medmaas.registry.ModelRegistry;
import picocli.CommandLine.Option;

/** The {@code --registry DIR} option shared by the registry commands. */
final class RegistryOption {

    /** Where the embedded registry lives unless told otherwise. */
    static final String DEFAULT = ".medmaas/registry";

    @Option(names = "--registry", defaultValue = "${env:MEDMAAS_REGISTRY:-" + DEFAULT + "}", paramLabel = "DIR",
            description = "The registry's home: its database and artifacts (default: $MEDMAAS_REGISTRY or ${DEFAULT-VALUE}).")
    Path home;

    ModelRegistry open() {
        return ModelRegistry.embedded(home);
    }
}
