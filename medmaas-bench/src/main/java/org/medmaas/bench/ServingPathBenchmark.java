package org.medmaas.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.medmaas.core.serving.Prediction;
import org.medmaas.core.table.Table;
import org.medmaas.diagnosis.DiagnosisModel;
import org.medmaas.diagnosis.DiagnosisService;
import org.medmaas.registry.ModelVersion;
import org.medmaas.registry.Stage;
import org.medmaas.server.http.Deadline;
import org.medmaas.server.http.Reply;
import org.medmaas.server.serving.Predictor;
import org.medmaas.server.serving.ServedModels;
import org.medmaas.server.serving.ServiceApi;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The service route's own work per request, in-process and without HTTP or the audit: the body
 * read as JSON, the records validated into a table, preprocessed and scored, the shift monitor fed,
 * the answer written as JSON and the body's digest taken (what {@code ServiceApi.predict} does for
 * {@code POST /api/v1/diagnosis/{model}/predict}). The load benchmarks measure the whole server; this
 * one isolates the handler, whose cost the serving profile showed to be the largest part of an LR
 * request (docs/benchmarks.md, issue 12 part 3).
 *
 * <p>Bundles from {@code run-serving-peer.sh} (system property {@code bench.dir}, default
 * {@code target/bench/serving-peer}: {@code model-lr}, {@code model-gbt}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class ServingPathBenchmark {

    /** The load benchmark's record: one Pima patient, insulin unknown. */
    static final byte[] RECORD = ("{\"record\": {\"pregnant\": 6, \"glucose\": 148, \"pressure\": 72, \"triceps\": 35,"
            + " \"insulin\": null, \"mass\": 33.6, \"pedigree\": 0.627, \"age\": 50}}").getBytes(StandardCharsets.UTF_8);

    @Param({"lr", "gbt"})
    public String learner;

    private ServiceApi api;

    @Setup
    public void setUp() {
        Path dir = Path.of(System.getProperty("bench.dir", "target/bench/serving-peer"));
        DiagnosisModel model = DiagnosisModel.load(dir.resolve("model-" + learner));
        ModelVersion version = new ModelVersion("pima-" + learner, 1, "0".repeat(64), DiagnosisService.TASK, learner,
                "diabetes", Stage.PRODUCTION, "bench", Instant.EPOCH);
        ServedModels.Served served = new ServedModels.Served(version, model);
        api = new ServiceApi(new DiagnosisService(), new Predictor() {
            @Override
            public ServedModels.Served model(String name, String reference) {
                return served;
            }

            @Override
            public List<? extends Prediction> predict(ServedModels.Served s, Table rows, int explain, Deadline deadline) {
                List<? extends Prediction> out = s.model().predict(rows, explain);
                s.shift().record(rows);
                return out;
            }
        });
    }

    @Benchmark
    public Reply predictOneRecord() {
        return api.predict(RECORD, Deadline.after(10_000), "pima-" + learner, "");
    }
}
