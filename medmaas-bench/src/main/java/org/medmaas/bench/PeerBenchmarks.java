package org.medmaas.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.medmaas.core.table.Table;
import org.medmaas.data.csv.CsvTableReader;
import org.medmaas.data.fhir.FhirRecordsReader;
import org.medmaas.data.preprocess.FittedPipeline;
import org.medmaas.data.preprocess.Impute;
import org.medmaas.data.preprocess.OneHot;
import org.medmaas.data.preprocess.PipelineSpec;
import org.medmaas.data.preprocess.Scale;
import org.medmaas.data.profile.DataProfiler;

/**
 * The MedMaaS side of the peer benchmarks; {@code run-benchmarks.sh} runs the Python side on the
 * same files in the same session and prints the ratios. Each measurement is the best of
 * {@code repeats} runs after one warm-up run, in seconds, printed as one line of
 * {@code key=value} pairs.
 *
 * <pre>
 * PeerBenchmarks generate FILE ROWS NUMERIC CATEGORICAL SEED
 * PeerBenchmarks csv FILE REPEATS          read, then read + profile
 * PeerBenchmarks preprocess FILE REPEATS   impute(median) + standard scale + one-hot: fit and apply
 * PeerBenchmarks fhir DIR REPEATS          FHIR R4 bundles read into canonical records (no peer: a rate)
 * </pre>
 */
public final class PeerBenchmarks {

    private PeerBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "generate" -> {
                Path file = Path.of(args[1]);
                if (!Files.exists(file)) {
                    SyntheticData.write(file, Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                            Integer.parseInt(args[4]), Long.parseLong(args[5]));
                }
            }
            case "csv" -> csv(Path.of(args[1]), Integer.parseInt(args[2]));
            case "preprocess" -> preprocess(Path.of(args[1]), Integer.parseInt(args[2]));
            case "fhir" -> fhir(Path.of(args[1]), Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("unknown benchmark " + args[0]);
        }
    }

    private static void csv(Path file, int repeats) throws Exception {
        CsvTableReader reader = new CsvTableReader();
        double bestRead = Double.MAX_VALUE;
        double bestProfile = Double.MAX_VALUE;
        Table table = null;
        for (int i = 0; i <= repeats; i++) {
            long t0 = System.nanoTime();
            table = reader.read(file);
            long t1 = System.nanoTime();
            new DataProfiler().profile(table, Optional.of("outcome"), file.toString());
            long t2 = System.nanoTime();
            if (i > 0) {
                bestRead = Math.min(bestRead, (t1 - t0) / 1e9);
                bestProfile = Math.min(bestProfile, (t2 - t1) / 1e9);
            }
        }
        long bytes = Files.size(file);
        System.out.printf(Locale.ROOT, "medmaas csv rows=%d cols=%d read_s=%.3f profile_s=%.3f rows_per_s=%.0f mb_per_s=%.1f%n",
                table.rowCount(), table.columnCount(), bestRead, bestProfile, table.rowCount() / bestRead,
                bytes / 1e6 / bestRead);
    }

    private static void preprocess(Path file, int repeats) {
        Table table = new CsvTableReader().read(file);
        Table features = table.drop(List.of("outcome"));
        PipelineSpec spec = PipelineSpec.of(
                Impute.of(Impute.Strategy.MEDIAN),
                Scale.of(Scale.Method.STANDARD),
                OneHot.of(OneHot.UnknownPolicy.IGNORE));
        double best = Double.MAX_VALUE;
        Table out = null;
        for (int i = 0; i <= repeats; i++) {
            long t0 = System.nanoTime();
            FittedPipeline fitted = spec.fit(features);
            out = fitted.apply(features);
            long t1 = System.nanoTime();
            if (i > 0) {
                best = Math.min(best, (t1 - t0) / 1e9);
            }
        }
        System.out.printf(Locale.ROOT, "medmaas preprocess rows=%d cols_in=%d cols_out=%d fit_apply_s=%.3f%n",
                features.rowCount(), features.columnCount(), out.columnCount(), best);
    }

    private static void fhir(Path dir, int repeats) throws Exception {
        long start = System.nanoTime();
        FhirRecordsReader reader = new FhirRecordsReader(FhirRecordsReader.InvalidResourcePolicy.SKIP);
        double contextSeconds = (System.nanoTime() - start) / 1e9;
        double best = Double.MAX_VALUE;
        FhirRecordsReader.Report report = null;
        for (int i = 0; i <= repeats; i++) {
            long t0 = System.nanoTime();
            report = reader.read(dir).report();
            long t1 = System.nanoTime();
            if (i > 0) {
                best = Math.min(best, (t1 - t0) / 1e9);
            }
        }
        long bytes;
        try (var files = Files.walk(dir)) {
            bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        System.out.printf(Locale.ROOT, "medmaas fhir bundles=%d resources_used=%d resources_ignored=%d context_s=%.2f read_s=%.3f bundles_per_s=%.1f resources_per_s=%.0f mb_per_s=%.1f%n",
                report.files(), report.resourcesRead(), report.resourcesIgnored(), contextSeconds, best,
                report.files() / best, (report.resourcesRead() + report.resourcesIgnored()) / best, bytes / 1e6 / best);
    }
}
