package org.medmaas.ml.neural;

import org.medmaas.core.json.Json;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
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
 * and the architecture ({@code mlp.json}). Small batches and single rows are scored in plain
 * Java on weights read once from those parameters, because a native call per row costs more than
 * the arithmetic of a small network; batches of {@value #NATIVE_BATCH} rows or more go through
 * libtorch's matrix products. Tests check both against DJL's own forward pass.
 */
public final class MlpModel implements ProbabilisticClassifier {

    public static final String PARAMETERS_FILE = "mlp.params";
    public static final String ARCHITECTURE_FILE = "mlp.json";

    private static final int PARALLEL_BATCH = 2048;
    /** Rows scored together: each weight loaded once feeds this many rows' accumulators. */
    private static final int BLOCK = 4;
    /** Rows per parallel task for large batches. */
    private static final int CHUNK = 256;
    /**
     * Batches from this size are scored by libtorch's matrix products (about twice the Java
     * loops' throughput here); smaller ones, single rows above all, stay in Java, where a call
     * costs no native round trips.
     */
    static final int NATIVE_BATCH = 256;
    /** Rows per native task; large batches run as parallel tasks of this size. */
    private static final int NATIVE_CHUNK = 4096;
    private static final java.lang.ref.Cleaner CLEANER = java.lang.ref.Cleaner.create();

    private final MlpArchitecture architecture;
    private final byte[] parameters;
    private final List<String> featureNames;
    private final List<String> classes;
    /**
     * Per layer: weights as [input][output] (row-major), so each layer is a run of vectorizable
     * axpy loops; float, as the network was trained in float32 (8 lanes per AVX2 operation).
     */
    private final float[][] weights;
    private final float[][] biases;
    private final int[] widths;
    /** The weights as libtorch tensors, made on the first large batch; freed when the model is unreachable. */
    private volatile NativeWeights nativeWeights;

    private MlpModel(MlpArchitecture architecture, byte[] parameters, List<Layer> layers, List<String> featureNames,
            List<String> classes) {
        this.architecture = architecture;
        this.parameters = parameters.clone();
        this.featureNames = List.copyOf(featureNames);
        this.classes = List.copyOf(classes);
        this.weights = new float[layers.size()][];
        this.biases = new float[layers.size()][];
        this.widths = new int[layers.size() + 1];
        widths[0] = architecture.inputs();
        for (int l = 0; l < layers.size(); l++) {
            Layer layer = layers.get(l);
            int in = widths[l];
            int out = layer.bias().length;
            widths[l + 1] = out;
            float[] w = new float[in * out];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    w[i * out + o] = layer.weight()[o * in + i];
                }
            }
            weights[l] = w;
            biases[l] = layer.bias().clone();
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
        MlpArchitecture architecture = NetworkFiles.architecture(files, ARCHITECTURE_FILE, PARAMETERS_FILE,
                MlpArchitecture.class, "MLP");
        byte[] parameters = files.get(PARAMETERS_FILE);
        if (architecture.version() != MlpArchitecture.VERSION
                || !NetworkFiles.fits(architecture.inputs(), architecture.outputs(), featureNames.size(), classes)) {
            throw NetworkFiles.mismatch(ARCHITECTURE_FILE);
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
            return Map.of(PARAMETERS_FILE, parameters.clone(), ARCHITECTURE_FILE, Json.MAPPER.writeValueAsBytes(architecture));
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
        return x.length >= NATIVE_BATCH ? predictNative(x) : predictJava(x);
    }

    /** The Java path for any batch (tests compare it with the native one). */
    double[][] predictJava(double[][] x) {
        double[][] out = new double[x.length][];
        int chunks = (x.length + CHUNK - 1) / CHUNK;
        IntStream tasks = IntStream.range(0, chunks);
        (x.length >= PARALLEL_BATCH ? tasks.parallel() : tasks).forEach(c -> {
            for (int start = c * CHUNK; start < Math.min(x.length, (c + 1) * CHUNK); start += BLOCK) {
                int rows = Math.min(BLOCK, x.length - start);
                float[] logits = forward(x, start, rows);
                int k = widths[widths.length - 1];
                for (int r = 0; r < rows; r++) {
                    out[start + r] = NetworkFiles.probabilities(logits, r * k, k);
                }
            }
        });
        return out;
    }

    /**
     * The output layer's values for {@code rows} (≤ {@value #BLOCK}) consecutive rows, row-major.
     * The four accumulator runs share each weight load; C2 vectorizes the inner loops.
     */
    private float[] forward(double[][] x, int start, int rows) {
        int width = widths[0];
        float[] a = new float[BLOCK * width];
        for (int r = 0; r < rows; r++) {
            double[] row = x[start + r];
            for (int i = 0; i < width; i++) {
                a[r * width + i] = (float) row[i];
            }
        }
        for (int l = 0; l < weights.length; l++) {
            int in = widths[l];
            int outWidth = widths[l + 1];
            float[] w = weights[l];
            float[] next = new float[BLOCK * outWidth];
            for (int r = 0; r < BLOCK; r++) {
                System.arraycopy(biases[l], 0, next, r * outWidth, outWidth);
            }
            int o1 = outWidth;
            int o2 = 2 * outWidth;
            int o3 = 3 * outWidth;
            for (int i = 0; i < in; i++) {
                float v0 = a[i];
                float v1 = a[in + i];
                float v2 = a[2 * in + i];
                float v3 = a[3 * in + i];
                int base = i * outWidth;
                for (int o = 0; o < outWidth; o++) {
                    float wi = w[base + o];
                    next[o] += wi * v0;
                    next[o1 + o] += wi * v1;
                    next[o2 + o] += wi * v2;
                    next[o3 + o] += wi * v3;
                }
            }
            if (l < weights.length - 1) {
                for (int o = 0; o < next.length; o++) {
                    next[o] = Math.max(0f, next[o]);
                }
            }
            a = next;
        }
        return a;
    }

    private double[][] predictNative(double[][] x) {
        NativeWeights weights = nativeWeights();
        double[][] out = new double[x.length][];
        int k = widths[widths.length - 1];
        int chunks = (x.length + NATIVE_CHUNK - 1) / NATIVE_CHUNK;
        IntStream tasks = IntStream.range(0, chunks);
        (chunks > 1 ? tasks.parallel() : tasks).forEach(c -> {
            int start = c * NATIVE_CHUNK;
            int rows = Math.min(NATIVE_CHUNK, x.length - start);
            float[] values = new float[rows * widths[0]];
            for (int r = 0; r < rows; r++) {
                double[] row = x[start + r];
                for (int j = 0; j < widths[0]; j++) {
                    values[r * widths[0] + j] = (float) row[j];
                }
            }
            float[] logits;
            try (NDManager batch = weights.manager().newSubManager()) {
                NDArray a = batch.create(values, new Shape(rows, widths[0]));
                for (int l = 0; l < weights.w().length; l++) {
                    a = a.dot(weights.w()[l]).add(weights.b()[l]);
                    if (l < weights.w().length - 1) {
                        a = a.maximum(0f);
                    }
                }
                logits = a.toFloatArray();
            }
            for (int r = 0; r < rows; r++) {
                out[start + r] = NetworkFiles.probabilities(logits, r * k, k);
            }
        });
        return out;
    }

    /** Per layer: weight [in, out] and bias tensors in a manager of their own. */
    private record NativeWeights(NDManager manager, NDArray[] w, NDArray[] b) {
    }

    private NativeWeights nativeWeights() {
        NativeWeights current = nativeWeights;
        if (current == null) {
            synchronized (this) {
                current = nativeWeights;
                if (current == null) {
                    NDManager manager = Torch.engine().newBaseManager();
                    NDArray[] w = new NDArray[weights.length];
                    NDArray[] b = new NDArray[weights.length];
                    for (int l = 0; l < weights.length; l++) {
                        w[l] = manager.create(weights[l], new Shape(widths[l], widths[l + 1]));
                        b[l] = manager.create(biases[l]);
                    }
                    current = new NativeWeights(manager, w, b);
                    CLEANER.register(this, manager::close);
                    nativeWeights = current;
                }
            }
        }
        return current;
    }

}
