package org.medmaas.ml.search;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.model.ClassifierTrainer;
import org.medmaas.core.model.LabeledMatrix;
import org.medmaas.core.model.ProbabilisticClassifier;
import org.medmaas.data.split.ClassLabels;
import org.medmaas.data.split.StratifiedKFold;
import org.medmaas.ml.LearnerSettings;
import org.medmaas.ml.Learners;
import org.medmaas.ml.metrics.ClassificationMetrics;

/**
 * Automatic model choice as a trainer: for each learner, a seeded random search of its settings
 * (its defaults first, then draws from its {@link SearchSpace}) scored by stratified k-fold
 * cross-validation on the data it is given; then, when it scores better than the best single
 * learner on the same folds, an equal-weight ensemble of a subset of the learners' best settings
 * (see {@link EnsembleModel}); the winner is refitted on all the data.
 *
 * <p>The score that chooses is optimistic: it is the best of many tried on the same folds. Run this
 * trainer inside an outer cross-validation (it is a {@link ClassifierTrainer} like any other) for an
 * estimate of what the whole procedure achieves on unseen rows; {@code medmaas train} reports both.
 * The data's preprocessing (imputation, scaling, one-hot coding; nothing that reads the target) is
 * fitted by the caller on all the rows the search sees, not per inner fold.
 */
public final class ModelSearch implements ClassifierTrainer {

    /**
     * How much searching: {@code trials} settings per learner (its defaults included), and, when
     * given, a time limit after which no new trial starts (each learner's defaults always run).
     * With a time limit the result depends on the machine's speed; with trials alone it is
     * reproducible for a seed.
     */
    public record Budget(int trials, Optional<Duration> time) {

        public static final Budget DEFAULT = new Budget(10, Optional.empty());

        public Budget {
            if (trials < 1 || trials > 10_000) {
                throw MedmaasException.invalid("--search trials must be between 1 and 10000.");
            }
            if (time.isPresent() && (time.get().isNegative() || time.get().isZero())) {
                throw MedmaasException.invalid("--search time must be positive (e.g. time=90s or time=5m).");
            }
        }

        /** {@code trials=N}, {@code time=90s|5m|1h}, or both separated by a comma. */
        public static Budget parse(String text) {
            int trials = DEFAULT.trials();
            Optional<Duration> time = Optional.empty();
            boolean trialsGiven = false;
            for (String part : text.split(",")) {
                String p = part.trim().toLowerCase(Locale.ROOT);
                try {
                    if (p.startsWith("trials=")) {
                        trials = Integer.parseInt(p.substring(7));
                        trialsGiven = true;
                        continue;
                    }
                    if (p.startsWith("time=") && p.length() > 6) {
                        String n = p.substring(5, p.length() - 1);
                        time = Optional.of(switch (p.charAt(p.length() - 1)) {
                            case 's' -> Duration.ofSeconds(Long.parseLong(n));
                            case 'm' -> Duration.ofMinutes(Long.parseLong(n));
                            case 'h' -> Duration.ofHours(Long.parseLong(n));
                            default -> throw new NumberFormatException();
                        });
                        continue;
                    }
                } catch (NumberFormatException e) {
                    // refused below
                }
                throw MedmaasException.invalid("--search takes trials=N, time=DURATION (90s, 5m, 1h), both (trials=50,time=5m)"
                        + " or off; '" + part.trim() + "' is neither.");
            }
            // A time limit alone means: as many trials as fit.
            return new Budget(time.isPresent() && !trialsGiven ? 10_000 : trials, time);
        }

        /** The same trials with the time limit divided among {@code searches} searches. */
        public Budget dividedAmong(int searches) {
            return new Budget(trials, time.map(t -> t.dividedBy(Math.max(1, searches))));
        }

        @Override
        public String toString() {
            return "trials=" + trials + time.map(t -> ",time=" + t.toSeconds() + "s").orElse("");
        }
    }

    /** One tried setting and its cross-validated score (NaN when no fold could compute the metric). */
    public record Trial(Map<String, Object> settings, double score) {
    }

    /** A learner's trials, the first being its defaults, and the best of them. */
    public record LearnerResult(String learner, List<Trial> trials, int best) {
        public Trial bestTrial() {
            return trials.get(best);
        }
    }

    /**
     * What a search found and fitted.
     *
     * @param learners       each learner's trials
     * @param chosen         the learner kept, or {@code ensemble}
     * @param ensemble       the ensemble's members and weights (empty when a single learner won)
     * @param chosenScore    the chosen model's cross-validated score (optimistic: it was chosen on it)
     * @param ensembleScore  the best ensemble's score (NaN when none could be formed)
     * @param model          the chosen model refitted on all the data
     * @param hyperparameters the chosen settings (per member for an ensemble) and the search's own, for provenance
     */
    public record Outcome(List<LearnerResult> learners, String chosen, Map<String, Double> ensemble, double chosenScore,
            double ensembleScore, ProbabilisticClassifier model, Map<String, Object> hyperparameters) {
    }

    public static final String NAME = "auto";

    /** Inner cross-validation folds unless told otherwise. */
    public static final int DEFAULT_INNER_FOLDS = 5;

    /** Metrics where lower is better; the others are maximized. */
    private static final java.util.Set<String> LOWER_IS_BETTER = java.util.Set.of("log_loss", "brier", "ece");

    private final List<String> learners;
    private final LearnerSettings base;
    private final SearchSpace space;
    private final Budget budget;
    private final int folds;
    private final String metric;
    private final boolean ensemble;
    private final long seed;

    /**
     * @param learners the learners to search (one: that learner tuned; several: also compared and ensembled)
     * @param base     settings the user fixed; a drawn value replaces a fixed one of the same key
     * @param folds    inner cross-validation folds
     * @param metric   the score to maximize (or minimize: log_loss, brier)
     * @param ensemble whether an ensemble may be chosen
     */
    public ModelSearch(List<String> learners, LearnerSettings base, SearchSpace space, Budget budget, int folds, String metric,
            boolean ensemble, long seed) {
        if (learners.isEmpty()) {
            throw MedmaasException.invalid("Name at least one model to search.");
        }
        for (String learner : learners) {
            if (!Learners.NAMES.contains(learner)) {
                throw MedmaasException.invalid("The search covers models of one row per patient (" + String.join(", ",
                        Learners.NAMES) + "), not '" + learner + "'.");
            }
            Learners.trainer(learner, seed, base); // the fixed settings are valid before any work starts
        }
        if (folds < 2 || folds > 20) {
            throw MedmaasException.invalid("The search's inner cross-validation needs 2 to 20 folds.");
        }
        this.learners = List.copyOf(learners);
        this.base = base;
        this.space = space;
        this.budget = budget;
        this.folds = folds;
        this.metric = metric;
        this.ensemble = ensemble && learners.size() > 1;
        this.seed = seed;
    }

    /** "auto" for a comparison of several learners, else the one learner's name (the bundle's learner is the chosen one). */
    @Override
    public String name() {
        return learners.size() == 1 ? learners.get(0) : NAME;
    }

    public List<String> learners() {
        return learners;
    }

    public Budget budget() {
        return budget;
    }

    @Override
    public ProbabilisticClassifier fit(LabeledMatrix data) {
        return search(data, message -> { }).model();
    }

    /** Searches, chooses and refits; {@code progress} hears about each trial. */
    public Outcome search(LabeledMatrix data, Consumer<String> progress) {
        long deadline = budget.time().map(t -> System.nanoTime() + t.toNanos()).orElse(Long.MAX_VALUE);
        int[] counts = new int[data.classes().size()];
        for (int y : data.y()) {
            counts[y]++;
        }
        int smallest = java.util.Arrays.stream(counts).filter(c -> c > 0).min().orElse(0);
        int k = Math.min(folds, smallest);
        if (k < 2) {
            // Too few rows of a class to cross-validate: the first learner at its settings, unscored.
            ProbabilisticClassifier model = trainer(learners.get(0), Map.of()).fit(data);
            return new Outcome(List.of(new LearnerResult(learners.get(0), List.of(new Trial(Map.of(), Double.NaN)), 0)),
                    learners.get(0), Map.of(), Double.NaN, Double.NaN, model,
                    withSearch(Learners.hyperparameters(trainer(learners.get(0), Map.of())), 0));
        }
        int[] fold = new StratifiedKFold(k, seed).assign(new ClassLabels("target", data.classes(), data.y()));
        List<List<Trial>> trials = new ArrayList<>();
        List<double[][]> bestOof = new ArrayList<>();
        int[] best = new int[learners.size()];
        List<Random> draws = new ArrayList<>();
        for (int l = 0; l < learners.size(); l++) {
            trials.add(new ArrayList<>());
            bestOof.add(null);
            draws.add(new Random(seed * 1_000_003L + l));
        }
        boolean lower = LOWER_IS_BETTER.contains(metric);
        for (int t = 0; t < budget.trials(); t++) {
            if (t > 0 && System.nanoTime() > deadline) {
                break;
            }
            for (int l = 0; l < learners.size(); l++) {
                String learner = learners.get(l);
                Map<String, Object> drawn = t == 0 ? Map.of() : draw(learner, draws.get(l));
                if (t > 0 && drawn.isEmpty()) {
                    continue; // nothing to search for this learner: its defaults stand
                }
                double[][] oof = new double[data.rows()][];
                double score = crossValidate(trainer(learner, drawn), data, fold, k, oof);
                trials.get(l).add(new Trial(drawn, score));
                int i = trials.get(l).size() - 1;
                if (i == 0 || better(score, trials.get(l).get(best[l]).score(), lower)) {
                    best[l] = i;
                    bestOof.set(l, oof);
                }
                progress.accept(String.format(Locale.ROOT, "Searching %s: trial %d of %d, best %s %.4f", learner, i + 1,
                        budget.trials(), metric, trials.get(l).get(best[l]).score()));
            }
        }
        List<LearnerResult> results = new ArrayList<>();
        int bestLearner = 0;
        for (int l = 0; l < learners.size(); l++) {
            results.add(new LearnerResult(learners.get(l), List.copyOf(trials.get(l)), best[l]));
            if (better(results.get(l).bestTrial().score(), results.get(bestLearner).bestTrial().score(), lower)) {
                bestLearner = l;
            }
        }
        double singleScore = results.get(bestLearner).bestTrial().score();
        // Equal-weight ensembles of every subset of two or more learners, scored on the same folds.
        double ensembleScore = Double.NaN;
        int ensembleMask = 0;
        if (ensemble) {
            for (int mask = 1; mask < 1 << learners.size(); mask++) {
                if (Integer.bitCount(mask) < 2) {
                    continue;
                }
                List<double[][]> members = new ArrayList<>();
                for (int l = 0; l < learners.size(); l++) {
                    if ((mask & 1 << l) != 0) {
                        members.add(bestOof.get(l));
                    }
                }
                double[] weights = new double[members.size()];
                java.util.Arrays.fill(weights, 1.0 / members.size());
                double score = foldMean(EnsembleModel.combine(members, weights), data, fold, k);
                if (ensembleMask == 0 || better(score, ensembleScore, lower)) {
                    ensembleScore = score;
                    ensembleMask = mask;
                }
            }
        }
        if (ensembleMask != 0 && better(ensembleScore, singleScore, lower)) {
            List<EnsembleModel.Member> members = new ArrayList<>();
            Map<String, Double> weights = new LinkedHashMap<>();
            List<Map<String, Object>> memberSettings = new ArrayList<>();
            int size = Integer.bitCount(ensembleMask);
            for (int l = 0; l < learners.size(); l++) {
                if ((ensembleMask & 1 << l) != 0) {
                    progress.accept("Fitting " + learners.get(l) + " for the ensemble on all " + data.rows() + " rows");
                    ClassifierTrainer trainer = trainer(learners.get(l), results.get(l).bestTrial().settings());
                    members.add(new EnsembleModel.Member(learners.get(l), 1.0 / size, trainer.fit(data)));
                    weights.put(learners.get(l), 1.0 / size);
                    memberSettings.add(Map.of("learner", learners.get(l), "weight", 1.0 / size,
                            "hyperparameters", Learners.hyperparameters(trainer)));
                }
            }
            Map<String, Object> hyper = new LinkedHashMap<>();
            hyper.put("members", memberSettings);
            return new Outcome(results, "ensemble", weights, ensembleScore, ensembleScore, new EnsembleModel(members),
                    withSearch(hyper, k));
        }
        String chosen = learners.get(bestLearner);
        progress.accept("Fitting " + chosen + " on all " + data.rows() + " rows");
        ClassifierTrainer trainer = trainer(chosen, results.get(bestLearner).bestTrial().settings());
        return new Outcome(results, chosen, Map.of(), singleScore, ensembleScore, trainer.fit(data),
                withSearch(Learners.hyperparameters(trainer), k));
    }

    private Map<String, Object> withSearch(Map<String, Object> hyperparameters, int innerFolds) {
        Map<String, Object> out = new LinkedHashMap<>(hyperparameters);
        out.put("search", Map.of("learners", learners, "budget", budget.toString(), "inner_folds", innerFolds,
                "metric", metric, "ensemble", ensemble, "seed", seed));
        return out;
    }

    private static boolean better(double score, double than, boolean lower) {
        if (Double.isNaN(score)) {
            return false;
        }
        return Double.isNaN(than) || (lower ? score < than : score > than);
    }

    private Map<String, Object> draw(String learner, Random random) {
        Map<String, Object> out = new LinkedHashMap<>();
        space.of(learner).forEach((key, dimension) -> out.put(key, dimension.sample(random)));
        return out;
    }

    /** The learner with the user's fixed settings and the drawn ones over them. */
    private ClassifierTrainer trainer(String learner, Map<String, Object> drawn) {
        Map<String, Map<String, Object>> merged = new LinkedHashMap<>(base.byLearner());
        Map<String, Object> own = new LinkedHashMap<>();
        if (learner.equals("gbt") || learner.equals("rf")) {
            own.put("threads", 1); // folds run in parallel instead; a user's threads setting wins
        }
        own.putAll(base.of(learner));
        own.putAll(drawn);
        merged.put(learner, own);
        return Learners.trainer(learner, seed, new LearnerSettings(merged));
    }

    /** Fills {@code oof} with held-out probabilities and returns the mean of the metric over the folds. */
    private double crossValidate(ClassifierTrainer trainer, LabeledMatrix data, int[] fold, int k, double[][] oof) {
        // Folds in parallel, one native thread each (see trainer()): on tables of hundreds of rows
        // XGBoost's own threads cost more in hand-offs than they save. The MLP keeps to one fold at a time.
        java.util.stream.IntStream folds = java.util.stream.IntStream.range(0, k);
        (trainer.name().equals("mlp") ? folds : folds.parallel()).forEach(f -> {
            LabeledMatrix train = rows(data, fold, f, false);
            LabeledMatrix test = rows(data, fold, f, true);
            double[][] p = trainer.fit(train).predictProbabilities(test.x());
            int t = 0;
            for (int i = 0; i < fold.length; i++) {
                if (fold[i] == f) {
                    oof[i] = p[t++];
                }
            }
        });
        return foldMean(oof, data, fold, k);
    }

    /** The metric's mean over the folds where it is defined, as {@code CrossValidation} reports it. */
    private double foldMean(double[][] oof, LabeledMatrix data, int[] fold, int k) {
        double sum = 0;
        int n = 0;
        for (int f = 0; f < k; f++) {
            List<double[]> p = new ArrayList<>();
            List<Integer> y = new ArrayList<>();
            for (int i = 0; i < fold.length; i++) {
                if (fold[i] == f) {
                    p.add(oof[i]);
                    y.add(data.y()[i]);
                }
            }
            Double v = ClassificationMetrics.report(y.stream().mapToInt(Integer::intValue).toArray(),
                    p.toArray(double[][]::new), 0.5).get(metric);
            if (v == null) {
                throw MedmaasException.invalid("Metric '" + metric + "' is not reported for this target.");
            }
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    private static LabeledMatrix rows(LabeledMatrix data, int[] fold, int f, boolean held) {
        int n = 0;
        for (int v : fold) {
            if ((v == f) == held) {
                n++;
            }
        }
        double[][] x = new double[n][];
        int[] y = new int[n];
        double[] w = new double[n];
        int r = 0;
        for (int i = 0; i < fold.length; i++) {
            if ((fold[i] == f) == held) {
                x[r] = data.x()[i];
                y[r] = data.y()[i];
                w[r] = data.weights()[i];
                r++;
            }
        }
        return new LabeledMatrix(x, y, w, data.featureNames(), data.classes());
    }
}
