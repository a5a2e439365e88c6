package org.medmaas.ml.bundle;

import java.util.List;
import java.util.Optional;

/**
 * One input a model expects, as the training data had it.
 *
 * @param name     the column name
 * @param type     numeric, categorical, boolean or datetime
 * @param min      the smallest value allowed (a declared schema minimum), if any
 * @param max      the largest value allowed, if any
 * @param observedMin the smallest training value (numeric)
 * @param observedMax the largest training value (numeric)
 * @param levels   the categories seen in training (categorical)
 */
public record InputField(String name, String type, Optional<Double> min, Optional<Double> max,
        Optional<Double> observedMin, Optional<Double> observedMax, List<String> levels) {
    public InputField {
        levels = List.copyOf(levels);
    }
}
