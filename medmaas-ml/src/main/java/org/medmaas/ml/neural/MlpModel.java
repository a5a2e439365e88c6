package org.medmaas.ml.neural;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.model.ProbabilisticClassifier;
import org.medmaas.ml.FeatureMatrix;

/**
 * A trained multilayer perceptron. Its bundle files are DJL's parameter file ({@code mlp.params})
 * and the architecture ({@code mlp.json}); scoring runs in plain Java on weights read once from
 * those parameters, because a native call per row costs more than the arithmetic of a small
 * network and Java scoring is thread-safe without engine state. Tests check it against DJL's
 * own forward pass.
 */
public final class MlpModel implements ProbabilisticClassifier {

    public static final String PARAMETERS_FILE = "mlp.params";
    public static final String ARCHITECTURE_FILE = "mlp.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PARALLEL_BATCH = 2048;

    private final MlpArchitecture architecture;
    private final byte[] parameters;
    private final List<String> featureNames;
    private final List<String> classes;
    /** Per layer: weights as [input][output] (row-major), so each layer is a run of vectorizable axpy loops. */
    private final double[][] weights;
    private final double[][] biases;
    private final int[] widths;

    private MlpModel(MlpArchitecture architecture, byte[] parameters, List<Layer> layers, List<String> featureNames,
            List<String> classes) {
        this.architecture = architecture;
        this.parameters = parameters.clone();
        this.featureNames = List.copyOf(featureNames);
        this.classes = List.copyOf(classes);
        this.weights = new double[layers.size()][];
        this.biases = new double[layers.size()][];
        this.widths = new int[layers.size() + 1];
        widths[0] = architecture.inputs();
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            int in = widths[l];
            int out = layer.bias().length;
            widths[l + 1] = out;
            double[] w = new double[in * out];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    w[i * out + o] = layer.weight()[o * in + i];
                }
            }
            weights[l] = w;
            biases[l] = toDoubles(layer.bias());
        }
    }

    /** A dense layer as DJL stores it: weight [out, in] row-major, bias [out]. */
    record Layer(float[] weight, float[] bias) {
    }

    /** Builds the model from a trained block (the trainer's path). */
    static MlpModel fromBlock(MlpArchitecture architecture, SequentialBlock block, List<String> featureNames,
            List<String> classes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "Could not save the MLP parameters: " + e.getMessage(), e);
        }
        return new MlpModel(architecture, bytes.toByteArray(), layers(block), featureNames, classes);
    }

    /** Loads a model from its bundle files, rebuilding the network to read DJL's parameter file. */
    public static MlpModel fromFiles(Map<String, byte[]> files, List<String> featureNames, List<String> classes) {
        byte[] architectureJson = files.get(ARCHITECTURE_FILE);
        byte[] parameters = files.get(PARAMETERS_FILE);
        if (architectureJson == null || parameters == null) {
            throw new MedmaasException(ErrorCode.INTEGRITY, "The bundle lacks " + ARCHITECTURE_FILE + " or "
                    + PARAMETERS_FILE + " for its MLP.");
        }
        MlpArchitecture architecture;
        try {
            architecture = JSON.readValue(architectureJson, MlpArchitecture.class);
        } catch (IOException e) {
            throw new MedmaasException(ErrorCode.INTEGRITY, "The bundle's " + ARCHITECTURE_FILE + " is unreadable.");
        }
        if (architecture.version() != MlpArchitecture.VERSION || architecture.inputs() != featureNames.size()
                || architecture.outputs() != (classes.size() == 2 ? 1 : classes.size())) {
            throw new MedmaasException(ErrorCode.INTEGRITY, "The bundle's " + ARCHITECTURE_FILE
                    + " does not match its features and classes, or has an unknown version.");
        }
        SequentialBlock block = architecture.block();
        try (NDManager manager = Torch.engine().newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, new Shape(1, architecture.inputs()));
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(parameters))) {
                block.loadParameters(manager, in);
            }
            return new MlpModel(architecture, parameters, layers(block), featureNames, classes);
        } catch (IOException | MalformedModelException e) {
            throw new MedmaasException(ErrorCode.INTEGRITY, "The bundle's " + PARAMETERS_FILE + " does not load: "
                    + e.getMessage());
        }
    }

    private static List<Layer> layers(SequentialBlock block) {
        List<Layer> out = new ArrayList<>();
        for (Block child : block.getChildren().values()) {
            if (child instanceof Linear linear) {
                NDArray w = linear.getParameters().get("weight").getArray();
                NDArray b = linear.getParameters().get("bias").getArray();
                out.add(new Layer(w.toFloatArray(), b.toFloatArray()));
            }
        }
        return out;
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public List<String> featureNames() {
        return featureNames;
    }

    public Map<String, byte[]> files() {
        try {
            return Map.of(PARAMETERS_FILE, parameters.clone(), ARCHITECTURE_FILE, JSON.writeValueAsBytes(architecture));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Hidden layer widths, input to output. */
    public List<Integer> hidden() {
        return architecture.hidden();
    }

    @Override
    public double[][] predictProbabilities(double[][] x) {
        FeatureMatrix.requireWidth(x, featureNames.size());
        double[][] out = new double[x.length][];
        IntStream rows = IntStream.range(0, x.length);
        (x.length >= PARALLEL_BATCH ? rows.parallel() : rows).forEach(i -> out[i] = probabilities(logits(x[i])));
        return out;
    }

    /** The output layer's values for one row: one logit (binary) or one per class. */
    public double[] logits(double[] row) {
        double[] a = row;
        for (int l = 0; l < weights.length; l++) {
            int in = widths[l];
            int outWidth = widths[l + 1];
            double[] w = weights[l];
            double[] next = biases[l].clone();
            for (int i = 0; i < in; i++) {
                double v = a[i];
                if (v == 0) {
                    continue; // ReLU zeros and one-hot zeros add nothing
                }
                int base = i * outWidth;
                for (int o = 0; o < outWidth; o++) {
                    next[o] += w[base + o] * v;
                }
            }
            if (l < weights.length - 1) {
                for (int o = 0; o < outWidth; o++) {
                    next[o] = Math.max(0, next[o]);
                }
            }
            a = next;
        }
        return a;
    }

    private double[] probabilities(double[] logits) {
        if (logits.length == 1) {
            double p = 1 / (1 + Math.exp(-logits[0]));
            return new double[] {1 - p, p};
        }
        double max = Double.NEGATIVE_INFINITY;
        for (double z : logits) {
            max = Math.max(max, z);
        }
        double sum = 0;
        double[] out = new double[logits.length];
        for (int c = 0; c < out.length; c++) {
            out[c] = Math.exp(logits[c] - max);
            sum += out[c];
        }
        for (int c = 0; c < out.length; c++) {
            out[c] /= sum;
        }
        return out;
    }

    private static double[] toDoubles(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
