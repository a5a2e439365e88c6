package org.medmaas.ml;

import java.util.Map;
import org.medmaas.core.model.ProbabilisticClassifier;

/** A binary classifier that can split each score into additive feature contributions. */
public interface ExplainableClassifier extends ProbabilisticClassifier {

    Explanation explain(double[] row);

    /** The learner's native model files, by their names in a bundle (model, architecture, explainer background…). */
    Map<String, byte[]> nativeFiles();
}
