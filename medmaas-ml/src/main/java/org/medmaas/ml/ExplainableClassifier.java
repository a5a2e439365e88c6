package org.medmaas.ml;

import org.medmaas.core.model.ProbabilisticClassifier;

/** A binary classifier that can split each score into additive feature contributions. */
public interface ExplainableClassifier extends ProbabilisticClassifier {

    Explanation explain(double[] row);

    /** The learner's native model file: its name in a bundle and its bytes. */
    String nativeFileName();

    byte[] nativeFile();
}
