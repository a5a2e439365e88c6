package org.medmaas.ml.trees;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.ml.Explanation;
import org.medmaas.ml.ExplainableClassifier;

/** A fitted XGBoost model, with exact TreeSHAP contributions (Lundberg et al., 2020). */
public final class GradientBoostedTreesModel implements ExplainableClassifier {

    /** The model's file in a bundle: XGBoost's JSON format. */
    public static final String NATIVE_FILE = "model.xgb.json";

    private final Booster booster;
    private final List<String> featureNames;
    private final List<String> classes;
    /** The trees for the Java scorer, read from the model's JSON when first needed (not by models only scored in batches). */
    private volatile TreeEnsemble trees;
    private static final int JAVA_BATCH = 64;
    private static final int PARALLEL_BATCH = 2048;
    private static final int NATIVE_CHUNK = 4096;

    GradientBoostedTreesModel(Booster booster, List<String> featureNames, List<String> classes) {
        this.booster = booster;
        try {
            // Scoring runs on the caller's thread (a server gives each request its own); OpenMP
            // threads would only add start-up cost and contention on small machines.
            booster.setParam("nthread", 1);
        } catch (XGBoostError e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "Could not configure XGBoost: " + e.getMessage(), e);
        }
        this.featureNames = List.copyOf(featureNames);
        this.classes = List.copyOf(classes);
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public List<String> featureNames() {
        return featureNames;
    }

    /**
     * Probabilities: batches under {@value #JAVA_BATCH} rows — single requests above all — are
     * scored in Java from the trees (see {@link TreeEnsemble}), without a native round trip; larger
     * ones by XGBoost's native predictor (a held-out fold in cross-validation thus never pays for
     * reading the trees into Java), from {@value #PARALLEL_BATCH} rows in parallel tasks of {@value #NATIVE_CHUNK} rows
     * (2–3× the Java scorer's throughput on 20,000 rows). XGBoost also explains.
     */
    @Override
    public double[][] predictProbabilities(double[][] x) {
        org.medmaas.ml.FeatureMatrix.requireWidth(x, featureNames.size());
        if (x.length < JAVA_BATCH) {
            return predictProbabilitiesJava(x);
        }
        if (x.length < PARALLEL_BATCH) {
            return predictProbabilitiesNative(x);
        }
        double[][] out = new double[x.length][];
        int chunks = (x.length + NATIVE_CHUNK - 1) / NATIVE_CHUNK;
        java.util.stream.IntStream.range(0, chunks).parallel().forEach(c -> {
            int start = c * NATIVE_CHUNK;
            double[][] part = java.util.Arrays.copyOfRange(x, start, Math.min(x.length, start + NATIVE_CHUNK));
            double[][] scored = predictProbabilitiesNative(part);
            System.arraycopy(scored, 0, out, start, scored.length);
        });
        return out;
    }

    /** The Java scorer for any batch (tests compare it with XGBoost's). */
    double[][] predictProbabilitiesJava(double[][] x) {
        TreeEnsemble ensemble = trees();
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            out[i] = ensemble.probabilities(x[i], classes.size());
        }
        return out;
    }

    private TreeEnsemble trees() {
        TreeEnsemble t = trees;
        if (t == null) {
            synchronized (this) {
                t = trees;
                if (t == null) {
                    try {
                        t = TreeEnsemble.fromJson(booster.toByteArray("json"));
                    } catch (XGBoostError e) {
                        throw new MedmaasException(ErrorCode.INTERNAL, "Could not read the XGBoost model: " + e.getMessage(), e);
                    }
                    trees = t;
                }
            }
        }
        return t;
    }

    /** Probabilities from XGBoost's native scorer, the reference the Java scorer is tested against. */
    double[][] predictProbabilitiesNative(double[][] x) {
        float[][] raw = predict(x, false);
        double[][] out = new double[x.length][classes.size()];
        for (int i = 0; i < x.length; i++) {
            if (classes.size() == 2) {
                out[i][1] = raw[i][0];
                out[i][0] = 1 - raw[i][0];
            } else {
                for (int c = 0; c < classes.size(); c++) {
                    out[i][c] = raw[i][c];
                }
            }
        }
        return out;
    }

    /**
     * TreeSHAP contributions of a binary model, in log-odds: one per feature plus the expected
     * value (last), summing exactly to the model's margin for the row.
     */
    public double[][] contributions(double[][] x) {
        if (classes.size() != 2) {
            throw MedmaasException.invalid("Contributions are provided for binary models here.");
        }
        float[][] raw = predict(x, true);
        double[][] out = new double[raw.length][];
        for (int i = 0; i < raw.length; i++) {
            out[i] = new double[raw[i].length];
            for (int j = 0; j < raw[i].length; j++) {
                out[i][j] = raw[i][j];
            }
        }
        return out;
    }

    private float[][] predict(double[][] x, boolean contributions) {
        int p = featureNames.size();
        float[] values = org.medmaas.ml.FeatureMatrix.toFloatRowMajor(x, p);
        try {
            if (!contributions) {
                // In-place prediction skips building a DMatrix: the difference matters for one-row requests.
                return booster.inplace_predict(values, x.length, p, Float.NaN);
            }
            DMatrix m = new DMatrix(values, x.length, p, Float.NaN);
            try {
                return booster.predictContrib(m, 0);
            } finally {
                m.dispose();
            }
        } catch (XGBoostError e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "XGBoost failed to predict: " + e.getMessage(), e);
        }
    }

    @Override
    public Explanation explain(double[] row) {
        double[] all = contributions(new double[][] {row})[0];
        return new Explanation(all[all.length - 1], java.util.Arrays.copyOf(all, all.length - 1), featureNames);
    }

    @Override
    public java.util.Map<String, byte[]> nativeFiles() {
        return java.util.Map.of(NATIVE_FILE, toXgboostJson());
    }

    /** The model in XGBoost's JSON format (the bundle's native file; Python's xgboost loads it too). */
    public byte[] toXgboostJson() {
        try {
            return booster.toByteArray("json");
        } catch (XGBoostError e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "Could not save the XGBoost model: " + e.getMessage(), e);
        }
    }

    public static GradientBoostedTreesModel fromXgboostJson(byte[] json, List<String> featureNames, List<String> classes) {
        try {
            return new GradientBoostedTreesModel(XGBoost.loadModel(json), featureNames, classes);
        } catch (XGBoostError | IOException e) {
            throw new MedmaasException(ErrorCode.INTEGRITY, "The XGBoost model file is unreadable: "
                    + new String(String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        }
    }
}
