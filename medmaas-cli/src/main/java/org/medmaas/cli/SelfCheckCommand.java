package org.medmaas.cli;

import org.medmaas.ml.calibration.CalibrationMethod;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.CategoricalColumn;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;
import org.medmaas.data.csv.SchemaFile;
import org.medmaas.diagnosis.DiagnosisTrainer;
import org.medmaas.diagnosis.DiagnosisTrainingRequest;
import org.medmaas.ml.calibration.ThresholdRule;
import org.medmaas.registry.ModelRegistry;
import org.medmaas.registry.Role;
import org.medmaas.server.MedmaasServer;
import org.medmaas.server.ServerSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code medmaas self-check}: the installation end to end in a few seconds, in a temporary
 * directory: train a small logistic regression on generated rows, register it, serve it on a
 * free loopback port, and predict over HTTP with a new key. The launcher also runs it once after
 * each build to record which classes a start loads (the class-data-sharing archive).
 */
@Command(name = "self-check", mixinStandardHelpOptions = true,
        description = {"Check the installation: train a small model on generated rows, register it in a temporary",
                "registry, serve it on loopback and predict over HTTP. Touches nothing outside a temporary folder."})
final class SelfCheckCommand implements Callable<Integer> {

    /** Held, so that JUL keeps the levels set below (it forgets those of loggers nobody references). */
    private static final List<java.util.logging.Logger> QUIET = List.of(java.util.logging.Logger.getLogger("io.helidon"),
            java.util.logging.Logger.getLogger("medmaas.access"));

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        QUIET.forEach(l -> l.setLevel(java.util.logging.Level.WARNING));
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("medmaas-self-check-");
        try {
            Random random = new Random(7);
            int n = 200;
            double[] glucose = new double[n];
            String[] outcome = new String[n];
            for (int i = 0; i < n; i++) {
                glucose[i] = 110 + 25 * random.nextGaussian();
                outcome[i] = random.nextDouble() < 1 / (1 + Math.exp(-(glucose[i] - 115) / 12)) ? "yes" : "no";
            }
            Table data = Table.of(NumericColumn.of("glucose", glucose), CategoricalColumn.of("diabetes", outcome));
            new DiagnosisTrainer().train(new DiagnosisTrainingRequest(data, "diabetes", List.of("lr"), 3, 1,
                    CalibrationMethod.PLATT, ThresholdRule.parse("youden"), "roc_auc", SchemaFile.empty()),
                    dir.resolve("model"), m -> { });
            out.println("trained      a logistic regression on 200 generated rows");
            try (ModelRegistry registry = ModelRegistry.embedded(dir.resolve("registry"))) {
                registry.register("self-check", dir.resolve("model"), "self-check");
                String token = registry.apiKeys().create("self-check", Role.PREDICTOR, "*", Optional.empty(), "self-check").token();
                out.println("registered   self-check v1; key created");
                try (MedmaasServer server = new MedmaasServer(registry, ServerSettings.defaults().withPort(0), dir).start()) {
                    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(server.baseUrl() + "/api/v1/diagnosis/self-check/predict"))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"record\": {\"glucose\": 150}}")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200 || !r.body().contains("\"probabilities\"")) {
                        throw new MedmaasException(ErrorCode.INTERNAL, "The self-check prediction failed with HTTP " + r.statusCode() + ".");
                    }
                    out.println("served       " + server.baseUrl() + ": prediction answered over HTTP");
                }
                if (!registry.auditLog().verify().intact()) {
                    throw new MedmaasException(ErrorCode.INTEGRITY, "The self-check audit log does not verify.");
                }
                out.println("audited      the chain verifies");
            }
            out.println("MedMaaS works.");
            return 0;
        } finally {
            org.medmaas.core.io.Trees.deleteQuietly(dir);
        }
    }
}
