package org.medmaas.ml.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.model.ProbabilisticClassifier;

/**
 * A classifier trained elsewhere (PyTorch, scikit-learn via skl2onnx, TensorFlow…) and exported
 * to ONNX, scored with ONNX Runtime. The model must take one float tensor [N, features] and give
 * class probabilities [N, classes] as its first output (or [N, 1] for the positive class of a
 * binary model). The session is thread-safe and created once.
 */
public final class OnnxClassifier implements ProbabilisticClassifier, AutoCloseable {

    /** The model's file in a bundle. */
    public static final String NATIVE_FILE = "model.onnx";

    private static final OrtEnvironment ENVIRONMENT = OrtEnvironment.getEnvironment();

    private final OrtSession session;
    private final String inputName;
    private final String outputName;
    private final List<String> featureNames;
    private final List<String> classes;
    private final byte[] model;

    private OnnxClassifier(OrtSession session, String inputName, String outputName, List<String> featureNames,
            List<String> classes, byte[] model) {
        this.session = session;
        this.inputName = inputName;
        this.outputName = outputName;
        this.featureNames = List.copyOf(featureNames);
        this.classes = List.copyOf(classes);
        this.model = model.clone();
    }

    /** Opens a model and checks its input and output shapes against the features and classes. */
    public static OnnxClassifier load(byte[] model, List<String> featureNames, List<String> classes) {
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            OrtSession session = ENVIRONMENT.createSession(model, options);
            if (session.getNumInputs() != 1) {
                throw invalid("it has " + session.getNumInputs() + " inputs; one float tensor [N, features] is supported");
            }
            Map.Entry<String, NodeInfo> input = session.getInputInfo().entrySet().iterator().next();
            long[] inShape = ((TensorInfo) input.getValue().getInfo()).getShape();
            if (inShape.length != 2 || (inShape[1] > 0 && inShape[1] != featureNames.size())) {
                throw invalid("its input '" + input.getKey() + "' has shape " + java.util.Arrays.toString(inShape)
                        + ", not [N, " + featureNames.size() + "] for the schema's " + featureNames.size() + " features");
            }
            Map.Entry<String, NodeInfo> output = session.getOutputInfo().entrySet().iterator().next();
            long[] outShape = ((TensorInfo) output.getValue().getInfo()).getShape();
            long width = outShape.length == 2 ? outShape[1] : -1;
            if (outShape.length != 2 || (width > 0 && width != classes.size() && !(width == 1 && classes.size() == 2))) {
                throw invalid("its first output '" + output.getKey() + "' has shape " + java.util.Arrays.toString(outShape)
                        + ", not [N, " + classes.size() + "] class probabilities");
            }
            return new OnnxClassifier(session, input.getKey(), output.getKey(), featureNames, classes, model);
        } catch (OrtException e) {
            throw invalid("ONNX Runtime cannot load it (" + e.getMessage() + ")");
        }
    }

    private static MedmaasException invalid(String why) {
        return new MedmaasException(ErrorCode.INVALID_INPUT, "The ONNX model is not usable: " + why + ".");
    }

    @Override
    public List<String> classes() {
        return classes;
    }

    @Override
    public List<String> featureNames() {
        return featureNames;
    }

    public byte[] model() {
        return model.clone();
    }

    @Override
    public double[][] predictProbabilities(double[][] x) {
        int p = featureNames.size();
        float[] values = org.medmaas.ml.FeatureMatrix.toFloatRowMajor(x, p);
        try (OnnxTensor tensor = OnnxTensor.createTensor(ENVIRONMENT, FloatBuffer.wrap(values), new long[] {x.length, p});
                OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
            OnnxValue value = result.get(outputName).orElseThrow();
            float[][] raw = (float[][]) value.getValue();
            double[][] out = new double[x.length][classes.size()];
            for (int i = 0; i < x.length; i++) {
                if (raw[i].length == 1) {
                    out[i][1] = raw[i][0];
                    out[i][0] = 1 - raw[i][0];
                } else {
                    for (int c = 0; c < classes.size(); c++) {
                        out[i][c] = raw[i][c];
                    }
                }
            }
            return out;
        } catch (OrtException e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "ONNX Runtime failed to score: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // Closing releases native memory; a failure here leaves nothing for the caller to do.
        }
    }
}
