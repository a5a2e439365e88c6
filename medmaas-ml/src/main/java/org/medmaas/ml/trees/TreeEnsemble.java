package org.medmaas.ml.trees;

import org.medmaas.core.json.Json;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;

/**
 * An XGBoost tree ensemble scored in Java from the model's JSON: for one row, a walk down ~100
 * shallow trees costs about a microsecond, where a call into XGBoost's native library costs tens
 * (JNI, its own buffers and threads). Written by hand because no library scores XGBoost JSON in
 * Java; it covers what our trainer produces (numerical splits, binary:logistic and
 * multi:softprob) and refuses anything else, and a test checks it against XGBoost's own
 * predictions. Split rule as XGBoost's: go left when {@code (float) x < condition}, a missing value
 * follows {@code default_left}.
 */
final class TreeEnsemble {

    private final int[][] left;
    private final int[][] right;
    private final int[][] feature;
    private final float[][] condition;
    private final boolean[][] defaultLeft;
    private final int[] treeClass;
    private final int outputs;
    private final double[] baseMargin;

    private TreeEnsemble(int[][] left, int[][] right, int[][] feature, float[][] condition, boolean[][] defaultLeft,
            int[] treeClass, int outputs, double[] baseMargin) {
        this.left = left;
        this.right = right;
        this.feature = feature;
        this.condition = condition;
        this.defaultLeft = defaultLeft;
        this.treeClass = treeClass;
        this.outputs = outputs;
        this.baseMargin = baseMargin;
    }

    static TreeEnsemble fromJson(byte[] json) {
        try {
            JsonNode learner = Json.MAPPER.readTree(json).path("learner");
            String objective = learner.path("objective").path("name").asText();
            if (!objective.equals("binary:logistic") && !objective.equals("multi:softprob")) {
                throw unsupported("objective " + objective);
            }
            JsonNode param = learner.path("learner_model_param");
            int classes = Integer.parseInt(param.path("num_class").asText("0"));
            int outputs = objective.equals("binary:logistic") ? 1 : classes;
            // base_score is a probability for binary:logistic; XGBoost 3 writes one margin per class
            // for multi:softprob (older models: one value for all classes).
            String[] base = param.path("base_score").asText().replace("[", "").replace("]", "").split(",");
            double[] baseMargin = new double[outputs];
            for (int c = 0; c < outputs; c++) {
                double v = Double.parseDouble(base[base.length == outputs ? c : 0].trim());
                baseMargin[c] = objective.equals("binary:logistic") ? Math.log(v / (1 - v)) : v;
            }
            JsonNode model = learner.path("gradient_booster").path("model");
            JsonNode trees = model.path("trees");
            JsonNode info = model.path("tree_info");
            int n = trees.size();
            int[][] left = new int[n][];
            int[][] right = new int[n][];
            int[][] feature = new int[n][];
            float[][] condition = new float[n][];
            boolean[][] defaultLeft = new boolean[n][];
            int[] treeClass = new int[n];
            for (int t = 0; t < n; t++) {
                JsonNode tree = trees.get(t);
                for (JsonNode type : tree.path("split_type")) {
                    if (type.asInt() != 0) {
                        throw unsupported("categorical splits");
                    }
                }
                left[t] = ints(tree.path("left_children"));
                right[t] = ints(tree.path("right_children"));
                feature[t] = ints(tree.path("split_indices"));
                JsonNode c = tree.path("split_conditions");
                condition[t] = new float[c.size()];
                for (int i = 0; i < c.size(); i++) {
                    condition[t][i] = (float) c.get(i).asDouble();
                }
                JsonNode d = tree.path("default_left");
                defaultLeft[t] = new boolean[d.size()];
                for (int i = 0; i < d.size(); i++) {
                    defaultLeft[t][i] = d.get(i).asInt() != 0;
                }
                treeClass[t] = info.get(t).asInt();
            }
            return new TreeEnsemble(left, right, feature, condition, defaultLeft, treeClass, outputs, baseMargin);
        } catch (IOException | RuntimeException e) {
            if (e instanceof MedmaasException m) {
                throw m;
            }
            throw new MedmaasException(ErrorCode.INTEGRITY, "The XGBoost model JSON could not be read for scoring.", e);
        }
    }

    private static MedmaasException unsupported(String what) {
        return new MedmaasException(ErrorCode.INTEGRITY, "The XGBoost model uses " + what
                + ", which the Java scorer does not support.");
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    /** The margins (log-odds for binary) of one row, one per output. */
    double[] margins(double[] row) {
        double[] m = baseMargin.clone();
        for (int t = 0; t < left.length; t++) {
            int[] l = left[t];
            int node = 0;
            while (l[node] != -1) {
                double v = row[feature[t][node]];
                boolean goLeft = Double.isNaN(v) ? defaultLeft[t][node] : (float) v < condition[t][node];
                node = goLeft ? l[node] : right[t][node];
            }
            m[treeClass[t]] += condition[t][node];
        }
        return m;
    }

    /** Class probabilities of one row (sigmoid for binary, softmax otherwise). */
    double[] probabilities(double[] row, int classes) {
        double[] m = margins(row);
        double[] p = new double[classes];
        if (outputs == 1) {
            p[1] = 1 / (1 + Math.exp(-m[0]));
            p[0] = 1 - p[1];
            return p;
        }
        double max = java.util.Arrays.stream(m).max().orElse(0);
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            p[c] = Math.exp(m[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < classes; c++) {
            p[c] /= sum;
        }
        return p;
    }
}
