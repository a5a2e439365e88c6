package org.medmaas.core.serving;

import java.util.List;
import java.util.Optional;

/**
 * One input a model expects, as the training data had it. The server's records, the protocol's
 * tensors and the CLI's JSON rows are all read against these.
 *
 * @param name        the column name
 * @param type        numeric, categorical, boolean or datetime
 * @param min         the smallest value allowed (a declared schema minimum), if any
 * @param max         the largest value allowed, if any
 * @param observedMin the smallest training value (numeric)
 * @param observedMax the largest training value (numeric)
 * @param levels      the categories seen in training (categorical); others are refused
 * @param summary     the training summary (absent in bundles written before summaries were kept)
 */
public record InputField(String name, String type, Optional<Double> min, Optional<Double> max,
        Optional<Double> observedMin, Optional<Double> observedMax, List<String> levels, Optional<TrainingSummary> summary) {

    public InputField {
        levels = levels == null ? List.of() : List.copyOf(levels);
        min = min == null ? Optional.empty() : min;
        max = max == null ? Optional.empty() : max;
        observedMin = observedMin == null ? Optional.empty() : observedMin;
        observedMax = observedMax == null ? Optional.empty() : observedMax;
        summary = summary == null ? Optional.empty() : summary;
    }

    /** A numeric input with optional declared bounds and nothing observed (imported models). */
    public static InputField numeric(String name, Optional<Double> min, Optional<Double> max) {
        return new InputField(name, "numeric", min, max, Optional.empty(), Optional.empty(), List.of(), Optional.empty());
    }
}
