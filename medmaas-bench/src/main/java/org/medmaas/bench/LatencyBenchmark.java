package org.medmaas.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.medmaas.core.table.Table;
import org.medmaas.data.csv.CsvTableReader;
import org.medmaas.diagnosis.DiagnosisModel;
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
 * In-process single-row prediction latency of a diagnosis model bundle, including input
 * validation, preprocessing and (for binary models) calibration: the path a server request takes.
 * Bundles and the one-row input come from {@code SpeedBenchmark} (system properties
 * {@code bench.dir}); run through {@code medmaas-bench/run-speed.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class LatencyBenchmark {

    @Param({"lr", "mlp", "gbt"})
    public String learner;

    private DiagnosisModel model;
    private Table row;

    @Setup
    public void setUp() {
        Path dir = Path.of(System.getProperty("bench.dir", "target/bench/speed"));
        model = DiagnosisModel.load(dir.resolve("model-synthetic-" + learner));
        Table data = new CsvTableReader().read(dir.resolve("synthetic-20000x30.csv"));
        row = data.drop(List.of("outcome")).head(1);
    }

    @Benchmark
    public double[][] predictOneRow() {
        return model.probabilities(row);
    }
}
