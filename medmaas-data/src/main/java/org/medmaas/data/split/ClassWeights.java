package org.medmaas.data.split;

import java.util.LinkedHashMap;
import java.util.Map;

/** Per-class weights that make each class count equally, as scikit-learn's {@code class_weight="balanced"}. */
public final class ClassWeights {

    private ClassWeights() {
    }

    /** weight(c) = n / (classes · n_c). */
    public static Map<String, Double> balanced(TrainingSet train) {
        ClassLabels labels = train.labels();
        int[] counts = labels.counts();
        Map<String, Double> out = new LinkedHashMap<>();
        for (int c = 0; c < counts.length; c++) {
            out.put(labels.classes().get(c), (double) train.rowCount() / (counts.length * (double) counts[c]));
        }
        return out;
    }
}
