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
 * @param tolerance   how far beyond the training range a number is still taken (with a warning), in
 *                    widths of that range; further out it is refused as implausible. Negative: never
 *                    refused. Absent: {@value #DEFAULT_TOLERANCE}
 */
public record InputField(String name, String type, Optional<Double> min, Optional<Double> max,
        Optional<Double> observedMin, Optional<Double> observedMax, List<String> levels, Optional<TrainingSummary> summary,
        Optional<Double> tolerance) {

    /**
     * The tolerance of a model trained without one: a value more than one training range beyond
     * that range (age 200 where training saw 20–80; 1e308 anywhere) is refused, not scored.
     */
    public static final double DEFAULT_TOLERANCE = 1.0;

    public InputField(String name, String type, Optional<Double> min, Optional<Double> max, Optional<Double> observedMin,
            Optional<Double> observedMax, List<String> levels, Optional<TrainingSummary> summary) {
        this(name, type, min, max, observedMin, observedMax, levels, summary, Optional.empty());
    }

    public InputField {
        levels = levels == null ? List.of() : List.copyOf(levels);
        min = min == null ? Optional.empty() : min;
        max = max == null ? Optional.empty() : max;
        observedMin = observedMin == null ? Optional.empty() : observedMin;
        observedMax = observedMax == null ? Optional.empty() : observedMax;
        summary = summary == null ? Optional.empty() : summary;
        tolerance = tolerance == null ? Optional.empty() : tolerance;
        if (tolerance.isPresent() && !Double.isFinite(tolerance.get())) {
            throw new IllegalArgumentException("An input's tolerance must be a finite number.");
        }
    }

    /**
     * Whether a number is too far from what training saw to be scored: more than the tolerance's
     * widths of the training range beyond it, or below zero for an input that was never negative
     * in training (a count, a concentration, an age). Hand-written: a plausibility rule of ours.
     */
    public boolean implausible(double x) {
        double t = tolerance.orElse(DEFAULT_TOLERANCE);
        if (t < 0 || observedMin.isEmpty() || observedMax.isEmpty()) {
            return false;
        }
        double lo = observedMin.get();
        double hi = observedMax.get();
        double width = hi > lo ? hi - lo : Math.max(1, Math.abs(hi));
        double lowest = lo - t * width;
        if (lo >= 0) {
            lowest = Math.max(0, lowest);
        }
        return x < lowest || x > hi + t * width;
    }

    /** This input with another tolerance (negative: never refuse). */
    public InputField withTolerance(double widths) {
        return new InputField(name, type, min, max, observedMin, observedMax, levels, summary, Optional.of(widths));
    }

    /** A numeric input with optional declared bounds and nothing observed (imported models). */
    public static InputField numeric(String name, Optional<Double> min, Optional<Double> max) {
        return new InputField(name, "numeric", min, max, Optional.empty(), Optional.empty(), List.of(), Optional.empty());
    }
}
