package org.medmaas.ml.linear;

import de.bwaldvogel.liblinear.Feature;
import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import de.bwaldvogel.liblinear.Model;
import de.bwaldvogel.liblinear.Parameter;
import de.bwaldvogel.liblinear.Problem;
import de.bwaldvogel.liblinear.SolverType;
import java.util.Random;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.model.ClassifierTrainer;
import org.medmaas.core.model.LabeledMatrix;

/**
 * Logistic regression on LIBLINEAR (Fan et al., 2008, JMLR 9; the Java port by Waldvogel), the
 * solver behind scikit-learn's {@code solver="liblinear"}. Binary problems fit one model;
 * multi-class problems fit one-vs-rest models whose probabilities are normalized, as LIBLINEAR
 * and scikit-learn's liblinear path do.
 */
public final class LogisticRegressionTrainer implements ClassifierTrainer {

    static {
        Linear.disableDebugOutput();
    }

    private final LogisticRegressionParameters parameters;

    public LogisticRegressionTrainer(LogisticRegressionParameters parameters) {
        this.parameters = parameters;
    }

    public LogisticRegressionParameters parameters() {
        return parameters;
    }

    @Override
    public String name() {
        return "lr";
    }

    @Override
    public LogisticRegressionModel fit(LabeledMatrix data) {
        for (double w : data.weights()) {
            if (w != 1.0) {
                throw MedmaasException.invalid("Logistic regression (LIBLINEAR) takes no per-row weights; use"
                        + " balanced class weights or resampling instead.");
            }
        }
        Problem problem = new Problem();
        problem.l = data.rows();
        problem.n = data.features() + 1;
        problem.bias = BIAS;
        problem.x = new Feature[data.rows()][];
        problem.y = new double[data.rows()];
        for (int i = 0; i < data.rows(); i++) {
            problem.x[i] = row(data.x()[i]);
            problem.y[i] = data.y()[i];
        }
        SolverType solver = parameters.penalty() == LogisticRegressionParameters.Penalty.L2 ? SolverType.L2R_LR : SolverType.L1R_LR;
        Parameter p = new Parameter(solver, parameters.c(), parameters.tolerance(), parameters.maxIterations(), 0.1);
        p.setRegularizeBias(parameters.regularizeBias());
        p.setRandom(new Random(parameters.seed()));
        if (parameters.balanced()) {
            int[] counts = new int[data.classes().size()];
            for (int y : data.y()) {
                counts[y]++;
            }
            double[] weights = new double[counts.length];
            int[] labels = new int[counts.length];
            for (int c = 0; c < counts.length; c++) {
                labels[c] = c;
                weights[c] = counts[c] == 0 ? 1.0 : (double) data.rows() / (counts.length * (double) counts[c]);
            }
            p.setWeights(weights, labels);
        }
        Model model = Linear.train(problem, p);
        return new LogisticRegressionModel(model, data.featureNames(), data.classes());
    }

    /**
     * A dense row as LIBLINEAR's sparse nodes (1-based indices, zeros left out), ending with the
     * bias node: the Java port, like LIBLINEAR's C tools, expects callers to append it themselves.
     */
    static Feature[] row(double[] values) {
        int nonZero = 0;
        for (double v : values) {
            if (v != 0) {
                nonZero++;
            }
        }
        Feature[] out = new Feature[nonZero + 1];
        int k = 0;
        for (int j = 0; j < values.length; j++) {
            if (values[j] != 0) {
                out[k++] = new FeatureNode(j + 1, values[j]);
            }
        }
        out[k] = new FeatureNode(values.length + 1, BIAS);
        return out;
    }

    static final double BIAS = 1.0;
}
