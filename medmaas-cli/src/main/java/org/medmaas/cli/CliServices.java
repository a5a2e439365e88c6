package org.medmaas.cli;

import java.nio.file.Path;
import java.util.List;
import org.medmaas.core.bundle.ModelBundle;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.serving.ServedModel;
import org.medmaas.core.serving.Service;
import org.medmaas.diagnosis.DiagnosisService;

/**
 * The services the command line knows: one line per service module (see "Adding a service" in
 * docs/architecture.md), naming its {@link Service} and its {@code train <task>} command.
 * {@code predict} and {@code evaluate} load any of their bundles through the serving port.
 */
final class CliServices {

    private CliServices() {
    }

    /** A service on the command line: the serving side and the command that trains its models. */
    record Registration(Service service, Class<?> trainCommand) {
    }

    static List<Registration> registrations() {
        return List.of(
                new Registration(new DiagnosisService(), TrainCommand.Diagnosis.class));
    }

    static List<Service> all() {
        return registrations().stream().map(Registration::service).toList();
    }

    /** Loads a verified bundle with the service its task names. */
    static ServedModel load(Path bundle) {
        ModelBundle read = ModelBundle.read(bundle);
        String task = read.manifest().task();
        return all().stream().filter(s -> s.task().equals(task)).findFirst()
                .orElseThrow(() -> MedmaasException.invalid(bundle + " holds a " + task + " model, which this MedMaaS has no"
                        + " service for."))
                .load(read);
    }
}
