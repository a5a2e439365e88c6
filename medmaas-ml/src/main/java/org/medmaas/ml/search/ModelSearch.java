package org.medmaas.ml.search;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
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
     * One model the search could keep, scored on the inner folds.
     *
     * @param name       e.g. {@code gbt (searched)} or {@code lr + gbt + rf (defaults)}
     * @param members    per learner, the settings drawn for it (empty: its defaults); several make an equal-weight ensemble
     * @param score      the metric's mean over the inner folds
     * @param foldScores the metric on each inner fold (NaN where undefined)
     */
    public record Candidate(String name, Map<String, Map<String, Object>> members, double score, List<Double> foldScores) {
        public Candidate {
            members = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(members));
            foldScores = List.copyOf(foldScores);
        }
    }

    /**
     * What a search found and fitted.
     *
     * @param learners        each learner's trials
     * @param candidates      every model that could be kept: each learner at its defaults and at its best trial,
     *                        and (when ensembles are allowed) the equal-weight ensembles of each subset of two or
     *                        more learners, at their defaults and at their best trials
     * @param reference       the candidate kept unless another beats it by more than the folds' noise (see {@link #search})
     * @param chosen          the candidate kept
     * @param reason          why it was kept, in a sentence
     * @param chosenLearner   the kept learner's name, or {@code ensemble}
     * @param ensemble        the ensemble's members and weights (empty when a single learner was kept)
     * @param innerFolds      the inner cross-validation's folds (0 when there were too few rows to cross-validate)
     * @param metric          the metric that chose
     * @param model           the chosen model refitted on all the data
     * @param hyperparameters the chosen settings (per member for an ensemble) and the search's own, for provenance
     */
    public record Outcome(List<LearnerResult> learners, List<Candidate> candidates, Candidate reference, Candidate chosen,
            String reason, String chosenLearner, Map<String, Double> ensemble, int innerFolds, String metric,
            ProbabilisticClassifier model, Map<String, Object> hyperparameters) {
    }

    /** What a search reports while it runs: a message per step, and each trial done (or skipped by the time limit). */
    public interface Listener {
        void stage(String message);

        default void trialDone() {
        }
    }

    public static final String NAME = "auto";

    /** Inner cross-validation folds unless told otherwise. */
    public static final int DEFAULT_INNER_FOLDS = 5;

    /**
     * How many standard errors of the paired fold differences a candidate must beat the reference
     * by to replace it. Two, not Breiman's one: a search offers a dozen candidates or more, and at
     * one standard error some of them pass by chance (on the benchmark's small tables, one let
     * noisy choices through: see docs/benchmarks.md).
     */
    static final double STANDARD_ERRORS = 2;

    /** Metrics where lower is better; the others are maximized. */
    private static final java.util.Set<String> LOWER_IS_BETTER = java.util.Set.of("log_loss", "brier", "ece");

    /** Whether the search minimizes {@code metric} (log_loss, brier, ece) rather than maximizing it. */
    public static boolean lowerIsBetter(String metric) {
        return LOWER_IS_BETTER.contains(metric);
    }

    private final List<String> learners;
    private final LearnerSettings base;
    private final SearchSpace space;
    private final Budget budget;
    private final int folds;
    private final String metric;
    private final boolean ensemble;
    private final long seed;
    private final Listener listener;

    /**
     * @param learners the learners to search (one: that learner tuned; several: also compared and ensembled)
     * @param base     settings the user fixed; a drawn value replaces a fixed one of the same key
     * @param folds    inner cross-validation folds
     * @param metric   the score to maximize (or minimize: log_loss, brier)
     * @param ensemble whether an ensemble may be chosen
     */
    public ModelSearch(List<String> learners, LearnerSettings base, SearchSpace space, Budget budget, int folds, String metric,
            boolean ensemble, long seed) {
        this(learners, base, space, budget, folds, metric, ensemble, seed, message -> { });
    }

    private ModelSearch(List<String> learners, LearnerSettings base, SearchSpace space, Budget budget, int folds,
            String metric, boolean ensemble, long seed, Listener listener) {
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
        this.listener = listener;
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

    /** The same search reporting to {@code listener} whenever it runs, also inside an outer cross-validation. */
    public ModelSearch listening(Listener listener) {
        return new ModelSearch(learners, base, space, budget, folds, metric, ensemble, seed, listener);
    }

    /** Steps per search: one per learner and trial, skipped ones included, so a progress bar can count them. */
    public int steps() {
        return learners.size() * budget.trials();
    }

    @Override
    public ProbabilisticClassifier fit(LabeledMatrix data) {
        return search(data).model();
    }

    /**
     * Searches, chooses and refits.
     *
     * <p>The choice guards against the winner's curse of small tables, where the best of many
     * settings on a few folds is often best by chance. The <em>reference</em>, the first learner
     * named at its defaults (for {@code auto}: lr, the simplest), is kept unless other candidates
     * beat it by more than {@value #STANDARD_ERRORS} standard errors of their paired per-fold
     * differences; then the best-scoring of those is kept. This is the one-standard-error rule of
     * Breiman et al. (prefer the simplest model unless the evidence is clear), with the bar raised
     * for the many candidates a search compares. Large tables give small standard errors, so
     * there a better learner, setting or ensemble wins; small ones keep the simple model, and so
     * does any table whose rarest class allows fewer than three inner folds.
     */
    public Outcome search(LabeledMatrix data) {
        long deadline = budget.time().map(t -> System.nanoTime() + t.toNanos()).orElse(Long.MAX_VALUE);
        int[] counts = new int[data.classes().size()];
        for (int y : data.y()) {
            counts[y]++;
        }
        int smallest = java.util.Arrays.stream(counts).filter(c -> c > 0).min().orElse(0);
        int k = Math.min(folds, smallest);
        if (k < 2) {
            // Too few rows of a class to cross-validate: the first learner at its settings, unscored.
            ClassifierTrainer trainer = trainer(learners.get(0), Map.of());
            Candidate only = new Candidate(learners.get(0) + " (defaults)", Map.of(learners.get(0), Map.of()), Double.NaN,
                    List.of());
            for (int i = 0; i < steps(); i++) {
                listener.trialDone();
            }
            return new Outcome(List.of(new LearnerResult(learners.get(0), List.of(new Trial(Map.of(), Double.NaN)), 0)),
                    List.of(only), only, only, "too few rows of a class to cross-validate: the first learner at its defaults",
                    learners.get(0), Map.of(), 0, metric, trainer.fit(data),
                    withSearch(Learners.hyperparameters(trainer), 0, "too few rows to cross-validate"));
        }
        int[] fold = new StratifiedKFold(k, seed).assign(new ClassLabels("target", data.classes(), data.y()));
        List<List<Trial>> trials = new ArrayList<>();
        List<double[][]> defaultOof = new ArrayList<>();
        List<double[][]> bestOof = new ArrayList<>();
        int[] best = new int[learners.size()];
        List<Random> draws = new ArrayList<>();
        for (int l = 0; l < learners.size(); l++) {
            trials.add(new ArrayList<>());
            defaultOof.add(null);
            bestOof.add(null);
            draws.add(new Random(seed * 1_000_003L + l));
        }
        boolean lower = LOWER_IS_BETTER.contains(metric);
        for (int t = 0; t < budget.trials(); t++) {
            for (int l = 0; l < learners.size(); l++) {
                String learner = learners.get(l);
                Map<String, Object> drawn = t == 0 ? Map.of() : draw(learner, draws.get(l));
                if (t > 0 && (drawn.isEmpty() || System.nanoTime() > deadline)) {
                    listener.trialDone(); // nothing to search for this learner, or no time left: its steps are skipped
                    continue;
                }
                double[][] oof = new double[data.rows()][];
                double score = crossValidate(trainer(learner, drawn), data, fold, k, oof);
                trials.get(l).add(new Trial(drawn, score));
                int i = trials.get(l).size() - 1;
                if (i == 0) {
                    defaultOof.set(l, oof);
                }
                if (i == 0 || better(score, trials.get(l).get(best[l]).score(), lower)) {
                    best[l] = i;
                    bestOof.set(l, oof);
                }
                listener.stage(String.format(Locale.ROOT, "Searching %s: trial %d of %d, best %s %.4f", learner, i + 1,
                        budget.trials(), metric, trials.get(l).get(best[l]).score()));
                listener.trialDone();
            }
        }
        List<LearnerResult> results = new ArrayList<>();
        for (int l = 0; l < learners.size(); l++) {
            results.add(new LearnerResult(learners.get(l), List.copyOf(trials.get(l)), best[l]));
        }
        // The candidates at their defaults (each learner, singles first, then each ensemble of two or
        // more when allowed), then at their best trials; the first, the first learner at its defaults,
        // is the reference.
        List<Candidate> candidates = new ArrayList<>();
        int all = (1 << learners.size()) - 1;
        for (int mask = 1; mask <= all; mask++) {
            if (ensemble || Integer.bitCount(mask) == 1) {
                candidates.add(candidate(mask, false, results, defaultOof, bestOof, data, fold, k));
            }
        }
        candidates.sort(java.util.Comparator.comparingInt(c -> c.members().size())); // stable: singles first
        for (int mask = 1; mask <= all; mask++) {
            if ((ensemble || Integer.bitCount(mask) == 1) && searched(mask, best)) {
                candidates.add(candidate(mask, true, results, defaultOof, bestOof, data, fold, k));
            }
        }
        Candidate reference = candidates.get(0);
        Candidate chosen = reference;
        double[] chosenGap = {0, 0};
        for (Candidate c : candidates) {
            double[] gap = pairedGap(c, reference, lower);
            if (c != reference && gap[0] > STANDARD_ERRORS * gap[1] && better(c.score(), chosen.score(), lower)) {
                chosen = c;
                chosenGap = gap;
            }
        }
        String reason = chosen == reference
                ? String.format(Locale.ROOT, "%s kept: no other candidate beat it by more than two standard errors of"
                        + " the fold differences", reference.name())
                : String.format(Locale.ROOT, "%s beat %s by %.4f, more than two standard errors of the fold differences"
                        + " (2 × %.4f), and scored best of those that did", chosen.name(), reference.name(), chosenGap[0],
                        chosenGap[1]);
        return fitChosen(data, results, candidates, reference, chosen, reason, k);
    }

    /** Whether any learner in {@code mask} has a best trial other than its defaults. */
    private static boolean searched(int mask, int[] best) {
        for (int l = 0; l < best.length; l++) {
            if ((mask & 1 << l) != 0 && best[l] != 0) {
                return true;
            }
        }
        return false;
    }

    private Candidate candidate(int mask, boolean searched, List<LearnerResult> results, List<double[][]> defaultOof,
            List<double[][]> bestOof, LabeledMatrix data, int[] fold, int k) {
        List<double[][]> oofs = new ArrayList<>();
        Map<String, Map<String, Object>> members = new LinkedHashMap<>();
        for (int l = 0; l < learners.size(); l++) {
            if ((mask & 1 << l) != 0) {
                oofs.add(searched ? bestOof.get(l) : defaultOof.get(l));
                members.put(learners.get(l), searched ? results.get(l).bestTrial().settings() : Map.of());
            }
        }
        double[][] oof = oofs.get(0);
        if (oofs.size() > 1) {
            double[] weights = new double[oofs.size()];
            java.util.Arrays.fill(weights, 1.0 / oofs.size());
            oof = EnsembleModel.combine(oofs, weights);
        }
        double[] perFold = foldScores(oof, data, fold, k);
        return new Candidate(String.join(" + ", members.keySet()) + (searched ? " (searched)" : " (defaults)"), members,
                mean(perFold), java.util.Arrays.stream(perFold).boxed().toList());
    }

    /** {mean, standard error} of {@code a}'s per-fold improvement over {@code b}, over the folds where both are defined. */
    private static double[] pairedGap(Candidate a, Candidate b, boolean lower) {
        List<Double> d = new ArrayList<>();
        for (int f = 0; f < a.foldScores().size(); f++) {
            double v = a.foldScores().get(f) - b.foldScores().get(f);
            if (!Double.isNaN(v)) {
                d.add(lower ? -v : v);
            }
        }
        double mean = d.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double ss = d.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
        // Two folds' differences say nothing of their spread: with fewer than three the reference stays.
        double se = d.size() < 3 ? Double.POSITIVE_INFINITY : Math.sqrt(ss / (d.size() - 1) / d.size());
        return new double[] {mean, se};
    }

    private Outcome fitChosen(LabeledMatrix data, List<LearnerResult> results, List<Candidate> candidates, Candidate reference,
            Candidate chosen, String reason, int k) {
        if (chosen.members().size() == 1) {
            Map.Entry<String, Map<String, Object>> only = chosen.members().entrySet().iterator().next();
            listener.stage("Fitting " + only.getKey() + " on all " + data.rows() + " rows");
            ClassifierTrainer trainer = trainer(only.getKey(), only.getValue());
            return new Outcome(results, List.copyOf(candidates), reference, chosen, reason, only.getKey(), Map.of(), k, metric,
                    trainer.fit(data), withSearch(Learners.hyperparameters(trainer), k, reason));
        }
        List<EnsembleModel.Member> members = new ArrayList<>();
        Map<String, Double> weights = new LinkedHashMap<>();
        List<Map<String, Object>> memberSettings = new ArrayList<>();
        double weight = 1.0 / chosen.members().size();
        chosen.members().forEach((learner, settings) -> {
            listener.stage("Fitting " + learner + " for the ensemble on all " + data.rows() + " rows");
            ClassifierTrainer trainer = trainer(learner, settings);
            members.add(new EnsembleModel.Member(learner, weight, trainer.fit(data)));
            weights.put(learner, weight);
            memberSettings.add(Map.of("learner", learner, "weight", weight, "hyperparameters", Learners.hyperparameters(trainer)));
        });
        Map<String, Object> hyper = new LinkedHashMap<>();
        hyper.put("members", memberSettings);
        return new Outcome(results, List.copyOf(candidates), reference, chosen, reason, "ensemble", weights, k, metric,
                new EnsembleModel(members), withSearch(hyper, k, reason));
    }

    private Map<String, Object> withSearch(Map<String, Object> hyperparameters, int innerFolds, String reason) {
        Map<String, Object> out = new LinkedHashMap<>(hyperparameters);
        out.put("search", Map.of("learners", learners, "budget", budget.toString(), "inner_folds", innerFolds, "metric", metric, "ensemble", ensemble, "seed", seed, "choice", reason));
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
        return mean(foldScores(oof, data, fold, k));
    }

    /** The metric on each fold (NaN where it is undefined, e.g. one class only), as {@code CrossValidation} computes it. */
    private double[] foldScores(double[][] oof, LabeledMatrix data, int[] fold, int k) {
        double[] out = new double[k];
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
            out[f] = v;
        }
        return out;
    }

    private static double mean(double[] values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
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
