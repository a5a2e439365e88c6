package org.medmaas.ml.neural;

import org.medmaas.core.json.Json;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;

/** What the DJL-trained networks share: reading their bundle files and turning logits into probabilities. */
final class NetworkFiles {


    private NetworkFiles() {
    }

    /** The architecture file, read; an INTEGRITY error when it or the parameter file is absent or unreadable. */
    static <A> A architecture(Map<String, byte[]> files, String architectureFile, String parametersFile, Class<A> type,
            String what) {
        byte[] json = files.get(architectureFile);
        if (json == null || files.get(parametersFile) == null) {
            throw new MedmaasException(ErrorCode.INTEGRITY, "The bundle lacks " + architectureFile + " or "
                    + parametersFile + " for its " + what + ".");
        }
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new MedmaasException(ErrorCode.INTEGRITY, "The bundle's " + architectureFile + " is unreadable.");
        }
    }

    /** Whether a network's input and output widths fit the manifest's features and classes (1 logit for 2 classes). */
    static boolean fits(int inputs, int outputs, int features, List<String> classes) {
        return inputs == features && outputs == (classes.size() == 2 ? 1 : classes.size());
    }

    static MedmaasException mismatch(String architectureFile) {
        return new MedmaasException(ErrorCode.INTEGRITY, "The bundle's " + architectureFile
                + " does not match its features and classes, or has an unknown version.");
    }

    /** Class probabilities from one row of logits: sigmoid of a single logit, softmax of several. */
    static double[] probabilities(float[] logits, int offset, int k) {
        if (k == 1) {
            double p = 1 / (1 + Math.exp(-(double) logits[offset]));
            return new double[] {1 - p, p};
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, logits[offset + c]);
        }
        double sum = 0;
        double[] out = new double[k];
        for (int c = 0; c < k; c++) {
            out[c] = Math.exp(logits[offset + c] - max);
            sum += out[c];
        }
        for (int c = 0; c < k; c++) {
            out[c] /= sum;
        }
        return out;
    }
}
