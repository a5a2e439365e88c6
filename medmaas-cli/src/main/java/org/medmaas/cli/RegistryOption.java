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

    @Option(names = "--registry-url", defaultValue = "${env:MEDMAAS_REGISTRY_URL}", paramLabel = "JDBC-URL",
            description = {"Keep the registry's metadata in this database instead of the embedded H2 file, e.g.",
                    "jdbc:postgresql://db:5432/medmaas?user=…&password=… (default: $MEDMAAS_REGISTRY_URL; put",
                    "credentials in that variable rather than on the command line). Artifacts stay under DIR."})
    String url;

    /** Who the CLI acts as in the audit log: the OS user. */
    static String actor() {
        String user = System.getProperty("user.name");
        return user == null || user.isBlank() ? "cli" : "cli:" + user;
    }

    ModelRegistry open() {
        return url == null || url.isBlank() ? ModelRegistry.embedded(home) : ModelRegistry.open(url, home);
    }
}
