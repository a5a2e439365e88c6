package org.medmaas.diagnosis;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.medmaas.core.bundle.BundleManifest;
import org.medmaas.core.bundle.ModelBundle;
import org.medmaas.core.bundle.Provenance;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.json.Json;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.Table;
import org.medmaas.data.csv.TableFingerprint;
import org.medmaas.ml.calibration.CalibrationMethod;
import org.medmaas.ml.calibration.Calibrator;
import org.medmaas.ml.calibration.CrossFitting;
import org.medmaas.ml.calibration.IsotonicCalibration;
import org.medmaas.ml.calibration.PlattScaling;
import org.medmaas.ml.calibration.ThresholdRule;
import org.medmaas.ml.metrics.ClassificationMetrics;

/**
 * Recalibrates a binary diagnosis model on labeled data from a new site: the model and its inputs
 * stay as trained; a new calibrator (Platt or isotonic) is fitted on the site's labels over the
 * model's own probabilities, and the decision threshold is chosen again by the stored rule. A model
 * that ranks patients well at the new site but whose probabilities are off there (another
 * prevalence, another case mix) becomes usable without retraining.
 *
 * <p>The figures after are cross-fitted (each row calibrated by a calibrator fitted without it), so
 * they estimate the recalibrated model on further patients of the site, not on the rows it was
 * fitted on. The bundle is written whole to a new directory; nothing of the original changes.
 */
public final class Recalibration {

    /**
     * Calibration on the site's rows.
     *
     * @param ece           expected calibration error, 10 equal-width bins
     * @param brier         Brier score
     * @param logLoss       log loss
     * @param meanPredicted the mean predicted probability of the positive class
     * @param observedRate  the share of positive rows (calibration in the large: the two should agree)
     */
    public record Figures(double ece, double brier, double logLoss, double meanPredicted, double observedRate) {
    }

    /** What recalibration found and wrote. */
    public record Outcome(int rows, String method, Figures before, Figures after, double thresholdBefore,
            double thresholdAfter, String thresholdRule, BundleManifest manifest, Path bundle) {
    }

    private Recalibration() {
    }

    /**
     * @param bundle the model to recalibrate (verified)
     * @param source how the model is named in provenance and messages (e.g. {@code diabetes@1} or a path)
     * @param data   the site's rows with the model's inputs and its target column
     * @param out    a new directory for the recalibrated bundle
     */
    public static Outcome recalibrate(ModelBundle bundle, String source, Table data, CalibrationMethod method, long seed,
            Path out) {
        if (method == CalibrationMethod.NONE) {
            throw MedmaasException.invalid("--method must be platt or isotonic: recalibration fits a calibrator.");
        }
        DiagnosisModel model = DiagnosisModel.load(bundle, source);
        DiagnosisSection section = bundle.manifest().section(DiagnosisSection.class);
        if (section.classes().size() != 2) {
            throw MedmaasException.invalid("Recalibration applies to models of two classes; " + source + " has "
                    + section.classes().size() + ".");
        }
        if (model.readsSequences()) {
            throw MedmaasException.invalid("Recalibration applies to models of one row per patient; " + source
                    + " reads visit sequences.");
        }
        int[] y = labels(data, section);
        if (y.length < 20) {
            throw MedmaasException.invalid("Recalibration needs at least 20 labeled rows; the data has " + y.length + ".");
        }
        int positives = java.util.Arrays.stream(y).sum();
        if (positives < 5 || y.length - positives < 5) {
            throw MedmaasException.invalid("Recalibration needs at least 5 rows of each class in '" + section.target()
                    + "'; the data has " + positives + " '" + section.classes().get(1) + "' and " + (y.length - positives)
                    + " '" + section.classes().get(0) + "'.");
        }
        double[] current = positive(model.probabilities(data));
        double[] raw = positive(model.uncalibratedProbabilities(data));
        BiFunction<double[], int[], Calibrator> fit = method == CalibrationMethod.ISOTONIC ? IsotonicCalibration::fit
                : PlattScaling::fit;
        double[] crossFitted = CrossFitting.calibrate(raw, y, fit, seed);
        Calibrator calibrator = fit.apply(raw, y);
        ThresholdRule rule = ThresholdRule.parse(section.thresholdRule());
        double threshold = rule.choose(crossFitted, y);
        Figures before = figures(current, y);
        Figures after = figures(crossFitted, y);

        DiagnosisSection recalibrated = new DiagnosisSection(section.target(), section.classes(), threshold,
                section.thresholdRule(), section.inputs(), section.features(), section.preprocessing(),
                java.util.Optional.of(Json.tree(calibrator)), section.subgroupMetrics());
        BundleManifest m = bundle.manifest();
        Map<String, Object> recalibration = new LinkedHashMap<>();
        recalibration.put("from", source);
        recalibration.put("from_bundle_created_at", m.createdAt());
        recalibration.put("sha256", TableFingerprint.sha256(data));
        recalibration.put("rows", y.length);
        recalibration.put("class_counts", Map.of(section.classes().get(0), y.length - positives,
                section.classes().get(1), positives));
        recalibration.put("method", method.name().toLowerCase(java.util.Locale.ROOT));
        recalibration.put("seed", seed);
        recalibration.put("note", "The model and its cross-validated metrics are the source version's; calibration,"
                + " threshold and the site_* metrics are this recalibration's. Subgroup metrics are the source's, at its"
                + " own calibration and threshold.");
        recalibration.put("threshold_before", section.threshold());
        recalibration.put("threshold_after", threshold);
        Map<String, Object> trainingData = new LinkedHashMap<>(m.provenance().trainingData());
        trainingData.put("recalibration", recalibration);
        Provenance provenance = new Provenance(m.provenance().learner(), m.provenance().settings(), m.provenance().seed(),
                trainingData,
                m.provenance().libraryVersions(), m.provenance().codeVersion());
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>(m.metrics());
        metrics.put("site_ece_before", Map.of("mean", before.ece(), "sd", 0.0));
        metrics.put("site_ece_after", Map.of("mean", after.ece(), "sd", 0.0));
        metrics.put("site_brier_before", Map.of("mean", before.brier(), "sd", 0.0));
        metrics.put("site_brier_after", Map.of("mean", after.brier(), "sd", 0.0));
        BundleManifest manifest = BundleManifest.of(m.task(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                provenance, metrics, recalibrated);
        ModelBundle written = ModelBundle.write(out, manifest, bundle.files());
        return new Outcome(y.length, method.name().toLowerCase(java.util.Locale.ROOT), before, after, section.threshold(),
                threshold, section.thresholdRule(), written.manifest(), out);
    }

    /** The target as 0/1 (1: the model's second class); every row must carry one of the model's two classes. */
    private static int[] labels(Table data, DiagnosisSection section) {
        if (!data.has(section.target())) {
            throw MedmaasException.invalid("The data has no column '" + section.target() + "', the model's target:"
                    + " recalibration needs the site's labels.");
        }
        Column c = data.column(section.target());
        int[] y = new int[data.rowCount()];
        int missing = 0;
        int other = 0;
        for (int i = 0; i < y.length; i++) {
            if (c.isMissing(i)) {
                missing++;
                continue;
            }
            String label = c.format(i);
            if (label.equals(section.classes().get(1))) {
                y[i] = 1;
            } else if (!label.equals(section.classes().get(0))) {
                other++;
            }
        }
        if (missing > 0 || other > 0) {
            throw MedmaasException.invalid("Column '" + section.target() + "' must hold " + section.classes().get(0) + " or "
                    + section.classes().get(1) + " in every row; " + missing + " row(s) are empty and " + other
                    + " hold another value.");
        }
        return y;
    }

    private static double[] positive(double[][] p) {
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i][1];
        }
        return out;
    }

    static Figures figures(double[] p, int[] y) {
        double[][] both = new double[p.length][];
        double mean = 0;
        double rate = 0;
        for (int i = 0; i < p.length; i++) {
            both[i] = new double[] {1 - p[i], p[i]};
            mean += p[i];
            rate += y[i];
        }
        return new Figures(ClassificationMetrics.expectedCalibrationError(y, p, 10), ClassificationMetrics.brier(y, p),
                ClassificationMetrics.logLoss(y, both), mean / p.length, rate / p.length);
    }
}
