package org.medmaas.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.medmaas.core.BuildInfo;
import org.medmaas.core.bundle.ModelBundle;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.json.Json;
import org.medmaas.core.table.Table;
import org.medmaas.data.csv.CsvOptions;
import org.medmaas.data.csv.CsvTableReader;

/**
 * Bundles written by released code keep loading and predicting the same numbers; bundles of
 * today's format round-trip. The golden bundles (src/test/resources/golden, see its README) were
 * written by the last release of format version 1 and must never be edited.
 */
class BundleCompatibilityTest {

    static Path golden(String name) {
        try {
            return Path.of(BundleCompatibilityTest.class.getResource("/golden/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Table read(DiagnosisModel model, Path csv) {
        return new CsvTableReader(CsvOptions.defaults(), model.inputSchema(), false).read(csv);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lr", "gbt", "mlp"})
    void version1BundlesLoadAndPredictTheCommittedFigures(String learner) throws Exception {
        DiagnosisModel model = DiagnosisModel.load(golden("v1-" + learner));
        assertThat(model.manifest().formatVersion()).isEqualTo(1);
        assertThat(model.learner()).isEqualTo(learner);
        assertThat(model.section().target()).isEqualTo("outcome");
        assertThat(model.manifest().provenance().seed()).isEqualTo(42L);
        assertThat(model.manifest().provenance().trainingData()).containsEntry("rows", 90);

        List<DiagnosisPrediction> predictions = model.predict(read(model, golden("score.csv")), 2);
        List<String> expected = Files.readAllLines(golden("v1-" + learner + ".expected.jsonl"));
        assertThat(predictions).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode want = Json.parse(expected.get(i), "expected line " + (i + 1));
            DiagnosisPrediction got = predictions.get(i);
            assertThat(got.row()).isEqualTo(want.get("row").asInt());
            assertThat(got.label()).isEqualTo(want.get("label").asText());
            assertThat(got.threshold()).isEqualTo(want.get("threshold").asDouble());
            assertThat(got.probabilities().get("yes")).isCloseTo(want.at("/probabilities/yes").asDouble(), within(1e-12));
            DiagnosisPrediction.Explanation explanation = got.explanation().orElseThrow();
            assertThat(explanation.baseline()).isCloseTo(want.at("/explanation/baseline").asDouble(), within(1e-9));
            for (int f = 0; f < 2; f++) {
                JsonNode feature = want.at("/explanation/topFeatures/" + f);
                assertThat(explanation.topFeatures().get(f).feature()).isEqualTo(feature.get("feature").asText());
                assertThat(explanation.topFeatures().get(f).contribution())
                        .isCloseTo(feature.get("contribution").asDouble(), within(1e-9));
            }
        }
    }

    @Test
    void aVersion1BundleIsCopiedByteForByte(@TempDir Path dir) throws Exception {
        ModelBundle bundle = ModelBundle.read(golden("v1-lr"));
        bundle.copyTo(dir.resolve("copy.zip"));
        ModelBundle copy = ModelBundle.read(dir.resolve("copy.zip"));
        assertThat(copy.manifest()).isEqualTo(bundle.manifest());
        bundle.copyTo(dir.resolve("copy"));
        for (String file : List.of("manifest.json", "checksums.sha256", "model.liblinear")) {
            assertThat(dir.resolve("copy").resolve(file)).hasSameBinaryContentAs(golden("v1-lr").resolve(file));
        }
    }

    @Test
    void todaysBundlesRoundTripWithProvenanceFromBuildMetadata(@TempDir Path dir) throws Exception {
        Table data = DiagnosisTrainerTest.cohort(300, 3);
        DiagnosisTrainer.Outcome outcome = new DiagnosisTrainer().train(DiagnosisTrainerTest.request(data, List.of("lr")),
                dir.resolve("model.zip"), m -> { });
        ModelBundle read = ModelBundle.read(dir.resolve("model.zip"));
        assertThat(Json.PRETTY.writeValueAsString(read.manifest())).isEqualTo(Json.PRETTY.writeValueAsString(outcome.manifest()));
        assertThat(read.manifest().formatVersion()).isEqualTo(ModelBundle.FORMAT_VERSION);
        assertThat(read.manifest().section(DiagnosisSection.class)).isEqualTo(outcome.section());
        assertThat(read.manifest().provenance().codeVersion()).isEqualTo(BuildInfo.codeVersion()).isNotEqualTo("unknown");
        assertThat(read.manifest().provenance().libraryVersions()).containsEntry("xgboost4j", BuildInfo.libraryVersion("xgboost4j"))
                .doesNotContainValue("unknown");
        var glucose = outcome.section().inputs().stream().filter(f -> f.name().equals("glucose")).findFirst().orElseThrow();
        var summary = glucose.summary().orElseThrow();
        assertThat(summary.rows()).isEqualTo(300);
        // 300 rows: p5 and p95 rest on 15 rows each; p1 and p99 would rest on 3, and are not kept.
        assertThat(summary.quantiles()).containsKeys("p5", "p50", "p95").doesNotContainKeys("p1", "p99");
        assertThat(summary.quantiles().get("p5")).isLessThanOrEqualTo(summary.quantiles().get("p50"));
        var smoker = outcome.section().inputs().stream().filter(f -> f.name().equals("smoker")).findFirst().orElseThrow();
        assertThat(smoker.summary().orElseThrow().categoryShares().values().stream().mapToDouble(Double::doubleValue).sum())
                .isCloseTo(1.0, within(1e-9));
    }

    @Test
    void aBundleOfAnUnknownFormatVersionIsRefusedWithTheVersionsThatAreRead(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("future");
        ModelBundle.read(golden("v1-lr")).copyTo(copy);
        String manifest = Files.readString(copy.resolve("manifest.json")).replace("\"formatVersion\" : 1", "\"formatVersion\" : 9");
        Files.writeString(copy.resolve("manifest.json"), manifest);
        String sums = Files.readString(copy.resolve("checksums.sha256")).lines()
                .map(l -> l.endsWith("  manifest.json") ? org.medmaas.core.io.Digests.sha256(manifest) + "  manifest.json" : l)
                .reduce("", (a, b) -> a + b + "\n");
        Files.writeString(copy.resolve("checksums.sha256"), sums);
        assertThatThrownBy(() -> ModelBundle.read(copy)).isInstanceOf(MedmaasException.class)
                .hasMessageContaining("format version 9").hasMessageContaining("[1, 2]")
                .extracting(e -> ((MedmaasException) e).code()).isEqualTo(ErrorCode.INTEGRITY);
    }
}
