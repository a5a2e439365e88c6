package org.medmaas.ml.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.model.LabeledMatrix;
import org.medmaas.core.model.ProbabilisticClassifier;
import org.medmaas.ml.ExplainableClassifier;
import org.medmaas.ml.Explanation;
import org.medmaas.ml.LearnerSettings;
import org.medmaas.ml.Learners;
import org.medmaas.ml.TestData;

class ModelSearchTest {

    private static final SearchSpace SMALL = SearchSpace.parse(Map.of(
            "lr", Map.of("C", Map.of("log", List.of(0.01, 10.0))),
            "gbt", Map.of("rounds", List.of(10, 40), "max_depth", List.of(1, 4), "eta", Map.of("log", List.of(0.05, 0.3)))),
            "a test");

    private static ModelSearch search(List<String> learners, int trials, long seed) {
        return new ModelSearch(learners, LearnerSettings.none(), SMALL, new ModelSearch.Budget(trials, Optional.empty()), 3,
                "roc_auc", true, seed);
    }

    @Test
    void isReproducibleForASeedTriesTheDefaultsFirstAndKeepsTheBestTrial() {
        LabeledMatrix data = TestData.nonlinear(300, 1);
        ModelSearch.Outcome a = search(List.of("lr", "gbt"), 4, 7).search(data);
        ModelSearch.Outcome b = search(List.of("lr", "gbt"), 4, 7).search(data);
        assertThat(a.learners()).isEqualTo(b.learners());
        assertThat(a.chosen()).isEqualTo(b.chosen());
        for (ModelSearch.LearnerResult r : a.learners()) {
            assertThat(r.trials()).hasSize(4);
            assertThat(r.trials().get(0).settings()).isEmpty(); // the learner's defaults
            double best = r.trials().stream().mapToDouble(ModelSearch.Trial::score).max().orElseThrow();
            assertThat(r.bestTrial().score()).isEqualTo(best);
        }
        ModelSearch.Outcome other = search(List.of("lr", "gbt"), 4, 8).search(data);
        assertThat(other.learners().get(1).trials().get(1).settings())
                .isNotEqualTo(a.learners().get(1).trials().get(1).settings());
        assertThat(a.hyperparameters()).containsKey("search");
    }

    @Test
    void theReferenceIsKeptUnlessACandidateBeatsItByMoreThanTheFoldNoise() {
        LabeledMatrix data = TestData.nonlinear(400, 2);
        ModelSearch.Outcome found = search(List.of("lr", "gbt"), 2, 3).search(data);
        assertThat(found.reference().name()).isEqualTo("lr (defaults)"); // the first learner named, at its defaults
        assertThat(found.candidates()).extracting(ModelSearch.Candidate::name)
                .contains("lr + gbt (defaults)", "lr (defaults)", "gbt (defaults)");
        assertThat(found.innerFolds()).isEqualTo(3);
        for (ModelSearch.Candidate c : found.candidates()) {
            assertThat(c.foldScores()).hasSize(3);
            assertThat(c.score()).isCloseTo(c.foldScores().stream().mapToDouble(Double::doubleValue).average().orElseThrow(), within(1e-12));
        }
        // Kept only with paired fold differences above two standard errors, and then the best of those that pass.
        for (ModelSearch.Candidate c : found.candidates()) {
            double[] d = new double[3];
            for (int f = 0; f < 3; f++) {
                d[f] = c.foldScores().get(f) - found.reference().foldScores().get(f);
            }
            double mean = (d[0] + d[1] + d[2]) / 3;
            double se = Math.sqrt(((d[0] - mean) * (d[0] - mean) + (d[1] - mean) * (d[1] - mean) + (d[2] - mean) * (d[2] - mean))
                    / 2 / 3);
            if (c == found.chosen() && c != found.reference()) {
                assertThat(mean).isGreaterThan(2 * se);
            }
            if (mean > 2 * se && c != found.reference()) {
                assertThat(found.chosen().score()).isGreaterThanOrEqualTo(c.score());
            }
        }
        assertThat(found.chosenLearner()).isEqualTo(found.chosen().members().size() > 1 ? "ensemble"
                : found.chosen().members().keySet().iterator().next());

        // A user's poor fixed setting is the reference; a searched setting far better is kept, with the reason.
        LearnerSettings weak = new LearnerSettings(Map.of("gbt", Map.of("rounds", 1, "max_depth", 1)));
        SearchSpace deeper = SearchSpace.parse(Map.of("gbt", Map.of("rounds", List.of(60, 100), "max_depth", List.of(3, 5))),
                "a test");
        List<Integer> steps = new ArrayList<>();
        ModelSearch tuned = new ModelSearch(List.of("gbt"), weak, deeper, new ModelSearch.Budget(3, Optional.empty()), 5,
                "roc_auc", true, 1).listening(new ModelSearch.Listener() {
                    @Override
                    public void stage(String message) {
                    }

                    @Override
                    public void trialDone() {
                        steps.add(1);
                    }
                });
        ModelSearch.Outcome better = tuned.search(TestData.nonlinear(500, 3));
        assertThat(steps).hasSize(tuned.steps());
        assertThat(better.reference().name()).isEqualTo("gbt (defaults)");
        assertThat(better.chosen().name()).isEqualTo("gbt (searched)");
        assertThat(better.reason()).contains("beat gbt (defaults)", "two standard errors");
        assertThat(better.hyperparameters()).extractingByKey("search").asString().contains("beat gbt (defaults)");

        // An ensemble built directly, whatever the search chose.
        EnsembleModel ensemble = new EnsembleModel(List.of(
                new EnsembleModel.Member("lr", 0.25, Learners.trainer("lr", 1).fit(data)),
                new EnsembleModel.Member("gbt", 0.75, Learners.trainer("gbt", 1).fit(data))));
        LabeledMatrix test = TestData.nonlinear(40, 9);
        double[][] p = ensemble.predictProbabilities(test.x());
        for (int i = 0; i < test.rows(); i++) {
            Explanation e = ensemble.explain(test.x()[i]);
            assertThat(e.logOdds()).isCloseTo(Math.log(p[i][1] / p[i][0]), within(1e-4));
        }
        ProbabilisticClassifier reloaded = Learners.load("ensemble", ensemble.nativeFiles(), ensemble.featureNames(),
                ensemble.classes());
        assertThat(reloaded.predictProbabilities(test.x())).isDeepEqualTo(p);
        assertThat(((ExplainableClassifier) reloaded).explain(test.x()[0]).contributions())
                .containsExactly(ensemble.explain(test.x()[0]).contributions());
    }

    @Test
    void aSearchInsideCrossValidationIsAnOrdinaryTrainer() {
        ModelSearch gbt = search(List.of("gbt"), 3, 4);
        assertThat(gbt.name()).isEqualTo("gbt");
        assertThat(search(List.of("lr", "gbt"), 1, 4).name()).isEqualTo("auto");
        ProbabilisticClassifier model = gbt.fit(TestData.nonlinear(300, 4));
        assertThat(TestData.auc(model, TestData.nonlinear(300, 5))).isGreaterThan(0.7);
    }

    @Test
    void budgetsAndSpacesAreReadStrictly() {
        assertThat(ModelSearch.Budget.parse("trials=20")).isEqualTo(new ModelSearch.Budget(20, Optional.empty()));
        assertThat(ModelSearch.Budget.parse("trials=5,time=2m").time()).contains(Duration.ofMinutes(2));
        assertThat(ModelSearch.Budget.parse("time=90s").trials()).isEqualTo(10_000);
        assertThat(ModelSearch.Budget.parse("trials=20,time=110s").dividedAmong(11).time()).contains(Duration.ofSeconds(10));
        assertThatThrownBy(() -> ModelSearch.Budget.parse("trials=many")).isInstanceOf(MedmaasException.class)
                .hasMessageContaining("'trials=many'");
        assertThatThrownBy(() -> ModelSearch.Budget.parse("trials=0")).hasMessageContaining("between 1 and 10000");
        assertThatThrownBy(() -> SearchSpace.parse(Map.of("gbt", Map.of("eta", Map.of("log", List.of(0.0, 1.0)))), "f.yaml"))
                .hasMessageContaining("f.yaml, search.gbt.eta").hasMessageContaining("above 0");
        assertThatThrownBy(() -> SearchSpace.parse(Map.of("gbt", Map.of("eta", "fast")), "f.yaml"))
                .hasMessageContaining("search.gbt.eta must be [low, high]");
        // A drawn value the learner refuses names the setting.
        SearchSpace bad = SearchSpace.parse(Map.of("gbt", Map.of("max_depth", List.of(40, 50))), "f.yaml");
        ModelSearch search = new ModelSearch(List.of("gbt"), LearnerSettings.none(), bad,
                new ModelSearch.Budget(2, Optional.empty()), 3, "roc_auc", false, 1);
        assertThatThrownBy(() -> search.search(TestData.nonlinear(100, 1))).hasMessageContaining("'max_depth'");
    }

    @Test
    void theExampleFileSearchSectionIsTheBuiltInSpaceAndOverridesPerLearner(@TempDir Path dir) throws Exception {
        Path example = Path.of("..", "examples", "learners.yaml");
        Map<?, ?> tree = new ObjectMapper(new YAMLFactory()).readValue(example.toFile(), Map.class);
        assertThat(SearchSpace.parse((Map<?, ?>) tree.get("search"), "examples")).isEqualTo(SearchSpace.defaults());
        LearnerSettings.read(example); // the search section is not taken for a learner's settings
        Path own = dir.resolve("own.yaml");
        Files.writeString(own, "search:\n  gbt:\n    max_depth: [2, 3]\n");
        SearchSpace read = SearchSpace.read(own);
        assertThat(read.of("gbt")).containsOnlyKeys("max_depth");
        assertThat(read.of("rf")).isEqualTo(SearchSpace.defaults().of("rf"));
        List<String> learners = new ArrayList<>(SearchSpace.defaults().byLearner().keySet());
        assertThat(Learners.NAMES).containsAll(learners);
    }
}
