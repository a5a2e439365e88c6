package org.medmaas.ml.neural;

import org.medmaas.core.json.Json;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;

/**
 * A trained sequence classifier (LSTM or GRU over visits). Its bundle files are DJL's parameter
 * file ({@code sequence.params}) and the architecture ({@code sequence.json}). Scoring runs the
 * network in DJL; calls are serialized on the model, which owns its native memory until
 * {@link #close()}.
 */
public final class SequenceModel implements AutoCloseable {

    public static final String PARAMETERS_FILE = "sequence.params";
    public static final String ARCHITECTURE_FILE = "sequence.json";

    private static final int BATCH = 512;

    private final SequenceArchitecture architecture;
    private final byte[] parameters;
    private final List<String> featureNames;
    private final List<String> classes;
    private final NDManager manager;
    private final SequentialBlock block;

    private SequenceModel(SequenceArchitecture architecture, byte[] parameters, List<String> featureNames,
            List<String> classes) {
        this.architecture = architecture;
        this.parameters = parameters.clone();
        this.featureNames = List.copyOf(featureNames);
        this.classes = List.copyOf(classes);
        this.manager = Torch.engine().newBaseManager();
        this.block = architecture.block();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(parameters))) {
            block.initialize(manager, DataType.FLOAT32, new Shape(1, architecture.maxVisits(), architecture.inputs()));
            block.loadParameters(manager, in);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            manager.close();
            throw new MedmaasException(ErrorCode.INTEGRITY, "The bundle's " + PARAMETERS_FILE + " does not load: "
                    + e.getMessage());
        }
    }

    static SequenceModel of(SequenceArchitecture architecture, byte[] parameters, List<String> featureNames,
            List<String> classes) {
        return new SequenceModel(architecture, parameters, featureNames, classes);
    }

    /** Loads a model from its bundle files. */
    public static SequenceModel fromFiles(Map<String, byte[]> files, List<String> featureNames, List<String> classes) {
        SequenceArchitecture architecture = NetworkFiles.architecture(files, ARCHITECTURE_FILE, PARAMETERS_FILE,
                SequenceArchitecture.class, "sequence model");
        byte[] parameters = files.get(PARAMETERS_FILE);
        // Inputs are the features plus the "visit present" channel.
        if (architecture.version() != SequenceArchitecture.VERSION
                || !NetworkFiles.fits(architecture.inputs() - 1, architecture.outputs(), featureNames.size(), classes)) {
            throw NetworkFiles.mismatch(ARCHITECTURE_FILE);
        }
        return new SequenceModel(architecture, parameters, featureNames, classes);
    }

    public List<String> classes() {
        return classes;
    }

    public List<String> featureNames() {
        return featureNames;
    }

    public int maxVisits() {
        return architecture.maxVisits();
    }

    public SequenceParameters.Cell cell() {
        return architecture.cell();
    }

    public Map<String, byte[]> files() {
        try {
            return Map.of(PARAMETERS_FILE, parameters.clone(), ARCHITECTURE_FILE, Json.MAPPER.writeValueAsBytes(architecture));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Class probabilities per patient (patients × classes). */
    public synchronized double[][] predictProbabilities(List<double[][]> sequences) {
        double[][] out = new double[sequences.size()][];
        for (int start = 0; start < sequences.size(); start += BATCH) {
            int end = Math.min(sequences.size(), start + BATCH);
            try (NDManager batch = manager.newSubManager()) {
                NDArray input = tensor(batch, sequences, start, end, architecture.maxVisits(), featureNames.size());
                float[] logits = block.forward(new ParameterStore(batch, false), new NDList(input), false)
                        .singletonOrThrow().toFloatArray();
                int k = architecture.outputs();
                for (int i = start; i < end; i++) {
                    out[i] = NetworkFiles.probabilities(logits, (i - start) * k, k);
                }
            }
        }
        return out;
    }

    /**
     * [patients, maxVisits, features + 1]: each patient's last {@code maxVisits} visits, left-padded
     * with zeros; the last channel is 1 for a real visit.
     */
    static NDArray tensor(NDManager manager, List<double[][]> sequences, int start, int end, int maxVisits, int features) {
        int width = features + 1;
        float[] values = new float[(end - start) * maxVisits * width];
        for (int i = start; i < end; i++) {
            double[][] s = sequences.get(i);
            if (s.length == 0) {
                throw MedmaasException.invalid("Patient " + (i + 1) + " has no visits.");
            }
            int kept = Math.min(maxVisits, s.length);
            for (int v = 0; v < kept; v++) {
                double[] visit = s[s.length - kept + v];
                if (visit.length != features) {
                    throw MedmaasException.invalid("Patient " + (i + 1) + " has a visit of " + visit.length
                            + " values, not " + features + ".");
                }
                int base = ((i - start) * maxVisits + (maxVisits - kept + v)) * width;
                for (int j = 0; j < features; j++) {
                    values[base + j] = (float) visit[j];
                }
                values[base + features] = 1f;
            }
        }
        return manager.create(values, new Shape(end - start, maxVisits, width));
    }


    @Override
    public void close() {
        manager.close();
    }
}
