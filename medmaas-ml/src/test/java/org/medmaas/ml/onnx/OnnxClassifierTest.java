package org.medmaas.ml.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnnxClassifierTest {

    static byte[] fixture() throws Exception {
        try (InputStream in = OnnxClassifierTest.class.getResourceAsStream("/onnx/lr-3-features.onnx")) {
            return in.readAllBytes();
        }
    }

    @Test
    void scoresAnExportedModelAsPythonComputedIt() throws Exception {
        try (OnnxClassifier model = OnnxClassifier.load(fixture(), List.of("a", "b", "c"), List.of("no", "yes"))) {
            double[][] p = model.predictProbabilities(new double[][] {{1, 2, 3}, {0, 0, 0}, {-2, 1, 0.5}});
            // make_lr_fixture.py: expected p1 = [0.6106392741203308, 0.47502079606056213, 0.11155056953430176]
            assertThat(p[0][1]).isCloseTo(0.6106392741203308, within(1e-6));
            assertThat(p[1][1]).isCloseTo(0.47502079606056213, within(1e-6));
            assertThat(p[2][1]).isCloseTo(0.11155056953430176, within(1e-6));
            assertThat(p[0][0] + p[0][1]).isCloseTo(1.0, within(1e-6));
        }
    }

    @Test
    void refusesAModelWhoseShapeDoesNotFitTheSchema() throws Exception {
        assertThatThrownBy(() -> OnnxClassifier.load(fixture(), List.of("a", "b"), List.of("no", "yes")))
                .hasMessageContaining("not [N, 2]");
        assertThatThrownBy(() -> OnnxClassifier.load(new byte[] {1, 2, 3}, List.of("a"), List.of("no", "yes")))
                .hasMessageContaining("cannot load");
    }
}
