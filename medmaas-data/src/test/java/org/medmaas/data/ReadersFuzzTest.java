package org.medmaas.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.data.cohort.CohortSpec;
import org.medmaas.data.csv.CsvOptions;
import org.medmaas.data.csv.CsvTableReader;
import org.medmaas.data.csv.SchemaFile;
import org.medmaas.data.fhir.FhirRecordsReader;

/**
 * Coverage-guided fuzzing (Jazzer) of the readers that take files from outside: CSV, FHIR R4
 * bundles and cohort YAML. Each may refuse its input only with a {@link MedmaasException} (an
 * error naming the problem); any other exception is a crash, which Jazzer reports with the input.
 *
 * <p>Under {@code mvn verify} each target runs its seed inputs (the files under
 * {@code ReadersFuzzTestInputs/<target>/}) and every crash found so far, kept there as a test.
 * {@code medmaas-bench/run-fuzz.sh} fuzzes each for a million inputs (docs/benchmarks.md).
 */
class ReadersFuzzTest {

    private static final int RUNS = 1_000_000;
    private static final FhirRecordsReader FHIR = new FhirRecordsReader(FhirRecordsReader.InvalidResourcePolicy.SKIP);
    private static final Path SCRATCH = scratch();

    private static Path scratch() {
        try {
            Path dir = Files.createTempDirectory("medmaas-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @FuzzTest(maxExecutions = RUNS, maxDuration = "30m")
    void csv(byte[] input) {
        try {
            new CsvTableReader(CsvOptions.defaults(), SchemaFile.empty(), false).read(new String(input, StandardCharsets.UTF_8),
                    "fuzz");
        } catch (MedmaasException expected) {
            // a refusal naming the problem
        }
    }

    @FuzzTest(maxExecutions = RUNS, maxDuration = "30m")
    void fhirBundle(byte[] input) throws IOException {
        Path file = SCRATCH.resolve("bundle.json");
        Files.write(file, input);
        try {
            FHIR.read(file);
        } catch (MedmaasException expected) {
            // a refusal naming the problem
        }
    }

    @FuzzTest(maxExecutions = RUNS, maxDuration = "30m")
    void cohortYaml(byte[] input) {
        try {
            CohortSpec.parse(new String(input, StandardCharsets.UTF_8), "fuzz");
        } catch (MedmaasException expected) {
            // a refusal naming the problem
        }
    }
}
