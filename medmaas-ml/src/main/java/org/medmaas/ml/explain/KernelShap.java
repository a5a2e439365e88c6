package org.medmaas.ml.explain;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.QRDecomposition;
import org.hipparchus.linear.RealVector;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.model.ProbabilisticClassifier;
import org.medmaas.ml.Explanation;

/**
 * Kernel SHAP (Lundberg and Lee, 2017): a model-agnostic explanation for any binary classifier,
 * used for the MLP and imported ONNX models, which have no exact method of their own.
 *
 * <p>The game is the model's log-odds after averaging the probability over the background
 * (the {@code link="logit"} setting of the Python {@code shap} package): a coalition S of
 * features takes the row's values, the others take each background point's values in turn.
 * Contributions solve the Shapley-kernel weighted least squares with the efficiency constraint
 * built in, so they always sum exactly to {@code logit(p(x)) − logit(E_background[p])}.
 * Features whose value equals every background point's value get 0 and leave the game (as in
 * {@code shap}). With few features every coalition is enumerated and the values are the exact
 * Shapley values of that game; otherwise coalition sizes are drawn from the Shapley kernel with
 * paired (complementary) sampling and equal weights (Covert and Lee, 2021), seeded, so the same
 * row always gets the same explanation.
 *
 * <p>Written here because no maintained JVM library implements Kernel SHAP; the least squares
 * use Hipparchus.
 */
public final class KernelShap {

    /** The explainer's file in a bundle. */
    public static final String FILE = "explainer.kernel-shap.json";

    /** Default coalitions per explanation: all of them up to 10 varying features. */
    public static final int DEFAULT_COALITIONS = 1024;

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = org.medmaas.core.json.Json.MAPPER;

    /** The stored form: the background and the settings, so a reloaded explainer gives the same values. */
    private record Stored(String method, int version, Background background, int maxCoalitions, long seed) {
    }

    /** Probabilities are clipped before the logit, so a saturated model gives large but finite values. */
    private static final double EPSILON = 1e-12;

    private final Background background;
    private final int maxCoalitions;
    private final long seed;

    /**
     * @param background    the reference distribution the features are "removed" to
     * @param maxCoalitions coalitions evaluated per explanation (each costs one model call per
     *                      background point); with {@code 2^M − 2 ≤ maxCoalitions} all are enumerated
     */
    public KernelShap(Background background, int maxCoalitions, long seed) {
        if (maxCoalitions < 16) {
            throw MedmaasException.invalid("Kernel SHAP needs at least 16 coalitions per explanation, not " + maxCoalitions + ".");
        }
        this.background = background;
        this.maxCoalitions = maxCoalitions;
        this.seed = seed;
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(new Stored("kernel_shap", 1, background, maxCoalitions, seed));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KernelShap fromJson(byte[] json) {
        Stored stored;
        try {
            stored = JSON.readValue(json, Stored.class);
        } catch (java.io.IOException e) {
            throw new MedmaasException(org.medmaas.core.error.ErrorCode.INTEGRITY,
                    "The bundle's " + FILE + " is unreadable: " + e.getMessage());
        }
        if (!"kernel_shap".equals(stored.method()) || stored.version() != 1) {
            throw new MedmaasException(org.medmaas.core.error.ErrorCode.INTEGRITY,
                    "The bundle's " + FILE + " has an unknown method or version.");
        }
        return new KernelShap(stored.background(), stored.maxCoalitions(), stored.seed());
    }

    public Background background() {
        return background;
    }

    public int maxCoalitions() {
        return maxCoalitions;
    }

    public long seed() {
        return seed;
    }

    /** The contributions for one row of a binary model, in log-odds of its second class. */
    public Explanation explain(ProbabilisticClassifier model, double[] row) {
        int p = model.featureNames().size();
        if (row.length != p || background.width() != p) {
            throw MedmaasException.invalid("Kernel SHAP got a row of " + row.length + " values and a background of "
                    + background.width() + " for a model of " + p + " features.");
        }
        if (model.classes().size() != 2) {
            throw MedmaasException.invalid("Kernel SHAP explanations are given for binary models.");
        }
        double baseline = logit(expectedProbability(model, new BitSet(), row));
        double full = logit(model.predictProbabilities(new double[][] {row})[0][1]);
        double[] phi = new double[p];
        List<Integer> varying = new ArrayList<>();
        for (int j = 0; j < p; j++) {
            for (double[] b : background.points()) {
                if (b[j] != row[j]) {
                    varying.add(j);
                    break;
                }
            }
        }
        int m = varying.size();
        double delta = full - baseline;
        if (m == 1) {
            phi[varying.get(0)] = delta;
        }
        if (m <= 1) {
            return new Explanation(baseline, phi, model.featureNames());
        }
        Map<BitSet, Double> coalitions = m < 31 && (1L << m) - 2 <= maxCoalitions ? allCoalitions(m) : sampledCoalitions(m);

        // Eliminate the last varying feature with the constraint Σφ = Δ; solve for the other m − 1.
        int rows = coalitions.size();
        double[][] a = new double[rows][m - 1];
        double[] t = new double[rows];
        int r = 0;
        for (Map.Entry<BitSet, Double> c : coalitions.entrySet()) {
            BitSet z = c.getKey();
            BitSet features = new BitSet(p);
            for (int k = z.nextSetBit(0); k >= 0; k = z.nextSetBit(k + 1)) {
                features.set(varying.get(k));
            }
            double value = logit(expectedProbability(model, features, row)) - baseline;
            double last = z.get(m - 1) ? 1 : 0;
            double w = Math.sqrt(c.getValue());
            for (int k = 0; k < m - 1; k++) {
                a[r][k] = w * ((z.get(k) ? 1 : 0) - last);
            }
            t[r] = w * (value - last * delta);
            r++;
        }
        RealVector solution = new QRDecomposition(new Array2DRowRealMatrix(a, false), 1e-12).getSolver()
                .solve(new ArrayRealVector(t, false));
        double sum = 0;
        for (int k = 0; k < m - 1; k++) {
            phi[varying.get(k)] = solution.getEntry(k);
            sum += solution.getEntry(k);
        }
        phi[varying.get(m - 1)] = delta - sum;
        return new Explanation(baseline, phi, model.featureNames());
    }

    /** E_b[p(x_S, b_rest)]: the background-weighted mean probability with the coalition's features taken from the row. */
    private double expectedProbability(ProbabilisticClassifier model, BitSet fromRow, double[] row) {
        double[][] points = background.points();
        double[][] mixed = new double[points.length][];
        for (int i = 0; i < points.length; i++) {
            double[] v = points[i].clone();
            for (int j = fromRow.nextSetBit(0); j >= 0; j = fromRow.nextSetBit(j + 1)) {
                v[j] = row[j];
            }
            mixed[i] = v;
        }
        double[][] probabilities = model.predictProbabilities(mixed);
        double mean = 0;
        for (int i = 0; i < points.length; i++) {
            mean += background.weights()[i] * probabilities[i][1];
        }
        return mean;
    }

    /** Every coalition but the empty and the full one, with its Shapley kernel weight. */
    private static Map<BitSet, Double> allCoalitions(int m) {
        Map<BitSet, Double> out = new LinkedHashMap<>();
        for (long mask = 1; mask < (1L << m) - 1; mask++) {
            BitSet z = BitSet.valueOf(new long[] {mask});
            out.put(z, kernelWeight(m, z.cardinality()));
        }
        return out;
    }

    /**
     * Coalition sizes drawn with probability ∝ (m − 1) / (s (m − s)), members uniformly, each
     * with its complement; repeats add weight instead of rows.
     */
    private Map<BitSet, Double> sampledCoalitions(int m) {
        double[] sizeCdf = new double[m];
        for (int s = 1; s < m; s++) {
            sizeCdf[s] = sizeCdf[s - 1] + (m - 1.0) / (s * (double) (m - s));
        }
        SplittableRandom random = new SplittableRandom(seed);
        Map<BitSet, Double> out = new LinkedHashMap<>();
        int[] order = new int[m];
        for (int draws = 0; draws < maxCoalitions / 2; draws++) {
            double u = random.nextDouble() * sizeCdf[m - 1];
            int size = 1;
            while (size < m - 1 && sizeCdf[size] < u) {
                size++;
            }
            for (int k = 0; k < m; k++) {
                order[k] = k;
            }
            BitSet z = new BitSet(m);
            for (int k = 0; k < size; k++) {
                int pick = k + random.nextInt(m - k);
                int swap = order[k];
                order[k] = order[pick];
                order[pick] = swap;
                z.set(order[k]);
            }
            BitSet complement = (BitSet) z.clone();
            complement.flip(0, m);
            out.merge(z, 1.0, Double::sum);
            out.merge(complement, 1.0, Double::sum);
        }
        return out;
    }

    private static double kernelWeight(int m, int s) {
        return (m - 1) / (binomial(m, s) * s * (double) (m - s));
    }

    private static double binomial(int n, int k) {
        double out = 1;
        for (int i = 1; i <= k; i++) {
            out = out * (n - k + i) / i;
        }
        return out;
    }

    private static double logit(double probability) {
        double q = Math.min(1 - EPSILON, Math.max(EPSILON, probability));
        return Math.log(q / (1 - q));
    }
}
