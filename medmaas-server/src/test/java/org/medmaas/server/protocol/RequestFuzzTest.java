package org.medmaas.server.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.medmaas.core.bundle.ModelBundle;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.serving.ServedModel;
import org.medmaas.core.table.CategoricalColumn;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;
import org.medmaas.data.csv.SchemaFile;
import org.medmaas.diagnosis.DiagnosisService;
import org.medmaas.diagnosis.DiagnosisTrainer;
import org.medmaas.diagnosis.DiagnosisTrainingRequest;
import org.medmaas.ml.calibration.CalibrationMethod;
import org.medmaas.ml.calibration.ThresholdRule;
import org.medmaas.server.http.Json;

/**
 * Coverage-guided fuzzing (Jazzer) of the JSON request readers: the service API's predict body
 * and the Open Inference Protocol's infer body, each read by the server's strict JSON reader and
 * then against a real trained model's inputs. Either may refuse a body only with a
 * {@link MedmaasException}, which the gate answers as 4xx; anything else would be a 500.
 *
 * <p>Under {@code mvn verify} each target runs its seed inputs and every crash found so far
 * ({@code RequestFuzzTestInputs/<target>/}); {@code medmaas-bench/run-fuzz.sh} fuzzes each for a
 * million inputs (docs/benchmarks.md).
 */
class RequestFuzzTest {

    private static final int RUNS = 1_000_000;
    private static final DiagnosisService SERVICE = new DiagnosisService();
    private static final ServedModel MODEL = model();

    /** A logistic regression on glucose, bmi and smoker, trained once for all inputs. */
    private static ServedModel model() {
        try {
            Path dir = Files.createTempDirectory("medmaas-fuzz").resolve("model"); // the trainer makes the folder
            Random random = new Random(5);
            int n = 200;
            double[] glucose = new double[n];
            double[] bmi = new double[n];
            String[] smoker = new String[n];
            String[] outcome = new String[n];
            for (int i = 0; i < n; i++) {
                glucose[i] = 105 + 25 * random.nextGaussian();
                bmi[i] = 28 + 5 * random.nextGaussian();
                smoker[i] = random.nextBoolean() ? "current" : "never";
                outcome[i] = glucose[i] + 3 * bmi[i] + 20 * random.nextGaussian() > 190 ? "yes" : "no";
            }
            Table data = Table.of(NumericColumn.of("glucose", glucose), NumericColumn.of("bmi", bmi),
                    CategoricalColumn.of("smoker", smoker), CategoricalColumn.of("diabetes", outcome));
            new DiagnosisTrainer().train(new DiagnosisTrainingRequest(data, "diabetes", List.of("lr"), 3, 42,
                    CalibrationMethod.PLATT, ThresholdRule.parse("youden"), "roc_auc", SchemaFile.empty()), dir, m -> { });
            return SERVICE.load(ModelBundle.read(dir));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @FuzzTest(maxExecutions = RUNS, maxDuration = "30m")
    void serviceRequest(byte[] body) {
        try {
            JsonNode request = Json.object(body);
            SERVICE.read(request, MODEL);
        } catch (MedmaasException expected) {
            // a 4xx naming the problem
        }
    }

    @FuzzTest(maxExecutions = RUNS, maxDuration = "30m")
    void protocolRequest(byte[] body) {
        try {
            JsonNode request = Json.object(body);
            InferenceProtocol.read(request, MODEL, "fuzz");
        } catch (MedmaasException expected) {
            // a 4xx naming the problem
        }
    }
}
