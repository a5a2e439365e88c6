package org.medmaas.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medmaas.core.error.MedmaasException;

class LearnersTest {

    private static String jarOf(Class<?> type) {
        return type.getProtectionDomain().getCodeSource().getLocation().getPath();
    }

    @Test
    void recordedLibraryVersionsAreTheJarsOnTheClassPath() {
        Map<String, String> versions = Learners.libraryVersions();
        assertThat(jarOf(de.bwaldvogel.liblinear.Linear.class)).endsWith("liblinear-" + versions.get("liblinear") + ".jar");
        assertThat(jarOf(ml.dmlc.xgboost4j.java.XGBoost.class)).endsWith("xgboost4j_2.12-" + versions.get("xgboost4j") + ".jar");
        assertThat(jarOf(ai.onnxruntime.OrtEnvironment.class)).endsWith("onnxruntime-" + versions.get("onnxruntime") + ".jar");
        assertThat(jarOf(ai.djl.engine.Engine.class)).endsWith("api-" + versions.get("djl") + ".jar");
        assertThat(LearnersTest.class.getClassLoader().getResource("native/lib/pytorch.properties"))
                .asString().contains("pytorch-native-cpu-" + versions.get("pytorch") + "-linux-x86_64.jar");
    }

    @Test
    void unknownLearnersAreNamedWithTheChoices() {
        assertThatThrownBy(() -> Learners.trainer("svm", 1)).isInstanceOf(MedmaasException.class)
                .hasMessageContaining("'svm'").hasMessageContaining("lr, mlp, gbt");
    }

    @Test
    void settingsOverrideDefaultsAndAreRecordedAsHyperparameters(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("config.yaml");
        java.nio.file.Files.writeString(file, "mlp:\n  hidden: [16, 8]\n  dropout: 0.2\ngbt: {rounds: 7, max_depth: 2}\nlr: {penalty: l1, C: 0.5}\n");
        LearnerSettings settings = LearnerSettings.read(file);
        assertThat(Learners.hyperparameters(Learners.trainer("mlp", 1, settings)))
                .containsEntry("hidden", java.util.List.of(16, 8)).containsEntry("dropout", 0.2).containsEntry("batch_size", 32);
        assertThat(Learners.hyperparameters(Learners.trainer("gbt", 1, settings)))
                .containsEntry("rounds", 7).containsEntry("max_depth", 2).containsEntry("eta", 0.1);
        assertThat(Learners.hyperparameters(Learners.trainer("lr", 1, settings)))
                .containsEntry("penalty", "L1").containsEntry("C", 0.5);
    }

    @Test
    void badSettingsNameTheKey(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("config.yaml");
        java.nio.file.Files.writeString(file, "mlp: {hiden: [16]}\n");
        assertThatThrownBy(() -> LearnerSettings.read(file)).hasMessageContaining("Unknown setting 'hiden' for mlp")
                .hasMessageContaining("hidden");
        java.nio.file.Files.writeString(file, "gbt: {rounds: many}\n");
        assertThatThrownBy(() -> LearnerSettings.read(file)).hasMessageContaining("'rounds' for gbt must be a number");
        java.nio.file.Files.writeString(file, "gbt: {rounds: 1.5}\n");
        assertThatThrownBy(() -> LearnerSettings.read(file)).hasMessageContaining("'rounds' for gbt must be a whole number");
        java.nio.file.Files.writeString(file, "svm: {C: 1}\n");
        assertThatThrownBy(() -> LearnerSettings.read(file)).hasMessageContaining("Unknown model 'svm'");
        java.nio.file.Files.writeString(file, "mlp: {dropout: 1.5}\n");
        assertThatThrownBy(() -> LearnerSettings.read(file)).hasMessageContaining("'dropout'");
        assertThatThrownBy(() -> LearnerSettings.read(dir.resolve("none.yaml"))).hasMessageContaining("does not exist");
    }

    @Test
    void theShippedExampleConfigIsValidAndEqualsTheDefaults() {
        LearnerSettings example = LearnerSettings.read(java.nio.file.Path.of("..", "examples", "learners.yaml"));
        for (String learner : Learners.NAMES) {
            assertThat(Learners.hyperparameters(Learners.trainer(learner, 1, example)))
                    .isEqualTo(Learners.hyperparameters(Learners.trainer(learner, 1)));
        }
        assertThat(Learners.hyperparameters(Learners.sequenceTrainer("lstm", 1, example).parameters()))
                .isEqualTo(Learners.hyperparameters(Learners.sequenceTrainer("lstm", 1, LearnerSettings.none()).parameters()));
    }
}
