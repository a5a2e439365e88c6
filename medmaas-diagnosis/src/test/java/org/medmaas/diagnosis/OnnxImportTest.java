package org.medmaas.diagnosis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;
import org.medmaas.data.csv.SchemaFile;

class OnnxImportTest {

    /** The fixture medmaas-ml's make_lr_fixture.py wrote (one copy, in that module). */
    static Path fixture(Path dir) throws Exception {
        Path file = dir.resolve("lr.onnx");
        Files.copy(Path.of("..", "medmaas-ml", "src", "test", "resources", "onnx", "lr-3-features.onnx"), file);
        return file;
    }

    static final SchemaFile SCHEMA = SchemaFile.parse("""
            columns:
              - {name: a, type: numeric}
              - {name: b, type: numeric, min: -10, max: 10}
              - {name: c, type: numeric}
            """, "schema.yaml");

    @Test
    void importedModelPredictsThroughTheSameValidatedPath(@TempDir Path dir) throws Exception {
        OnnxImport.importModel(fixture(dir), SCHEMA, "outcome", List.of("no", "yes"), 0.5, java.util.Optional.empty(), dir.resolve("bundle"));
        DiagnosisModel model = DiagnosisModel.load(dir.resolve("bundle"));
        Table rows = Table.of(NumericColumn.of("a", 1, 0), NumericColumn.of("b", 2, 0), NumericColumn.of("c", 3, 0));
        List<DiagnosisPrediction> p = model.predict(rows, 3);
        assertThat(p.get(0).probabilities().get("yes")).isCloseTo(0.6106392741203308, within(1e-6));
        assertThat(p.get(0).label()).isEqualTo("yes");
        assertThat(p.get(1).label()).isEqualTo("no");
        assertThat(p.get(0).explanation()).isEmpty();
        Table outOfRange = Table.of(NumericColumn.of("a", 1), NumericColumn.of("b", 20), NumericColumn.of("c", 3));
        assertThatThrownBy(() -> model.predict(outOfRange, 3)).hasMessageContaining("column 'b' row 1 is outside");
    }

    @Test
    void refusesASchemaThatDoesNotMatchTheModel(@TempDir Path dir) throws Exception {
        SchemaFile two = SchemaFile.parse("columns: [{name: a, type: numeric}, {name: b, type: numeric}]", "s");
        assertThatThrownBy(() -> OnnxImport.importModel(fixture(dir), two, "y", List.of("no", "yes"), 0.5, java.util.Optional.empty(), dir.resolve("x")))
                .hasMessageContaining("not [N, 2]");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void aBackgroundGivesKernelShapExplanationsWithoutStoringItsRows(@TempDir Path dir) throws Exception {
        // 12 rows make one background point, their mean; the fixture is logistic with weights
        // (0.8, −0.5, 0.25), so each contribution is exactly w_j (x_j − mean_j).
        double[] a = new double[12];
        double[] b = new double[12];
        double[] c = new double[12];
        for (int i = 0; i < 12; i++) {
            a[i] = i;
            b[i] = i % 3;
            c[i] = -i / 2.0;
        }
        Table background = Table.of(NumericColumn.of("a", a), NumericColumn.of("b", b), NumericColumn.of("c", c));
        OnnxImport.importModel(fixture(dir), SCHEMA, "outcome", List.of("no", "yes"), 0.5, java.util.Optional.of(background),
                dir.resolve("bundle"));
        String stored = Files.readString(dir.resolve("bundle").resolve("explainer.kernel-shap.json"));
        assertThat(stored).contains("[5.5,1.0,-2.75]").doesNotContain("[0.0,0.0,-0.0]");
        DiagnosisModel model = DiagnosisModel.load(dir.resolve("bundle"));
        DiagnosisPrediction p = model.predict(Table.of(NumericColumn.of("a", 1), NumericColumn.of("b", 2),
                NumericColumn.of("c", 3)), 3).get(0);
        java.util.Map<String, Double> byFeature = new java.util.HashMap<>();
        p.explanation().orElseThrow().topFeatures().forEach(f -> byFeature.put(f.feature(), f.contribution()));
        assertThat(byFeature.get("a")).isCloseTo(0.8 * (1 - 5.5), within(1e-5));
        assertThat(byFeature.get("b")).isCloseTo(-0.5 * (2 - 1.0), within(1e-5));
        assertThat(byFeature.get("c")).isCloseTo(0.25 * (3 + 2.75), within(1e-5));
        assertThat(model.globalImportance(background).get(0).feature()).isEqualTo("a");
    }
}
