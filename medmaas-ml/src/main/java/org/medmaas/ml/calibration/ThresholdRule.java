package org.medmaas.ml.calibration;

import java.util.Locale;
import org.medmaas.core.error.MedmaasException;

/**
 * How the decision threshold of a binary model is chosen from held-out predictions:
 * {@code youden}, {@code fixed:0.5}, {@code sensitivity:0.9} or {@code cost:5} (a missed case
 * costs five false alarms).
 */
public record ThresholdRule(String kind, double value) {

    public static ThresholdRule parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("youden")) {
            return new ThresholdRule("youden", Double.NaN);
        }
        String[] parts = t.split(":", 2);
        if (parts.length == 2) {
            double v;
            try {
                v = Double.parseDouble(parts[1]);
            } catch (NumberFormatException e) {
                throw MedmaasException.invalid("--threshold " + text + ": '" + parts[1] + "' is not a number.");
            }
            switch (parts[0]) {
                case "fixed" -> {
                    if (!(v > 0 && v < 1)) {
                        throw MedmaasException.invalid("--threshold fixed:P needs 0 < P < 1.");
                    }
                    return new ThresholdRule("fixed", v);
                }
                case "sensitivity" -> {
                    if (!(v > 0 && v <= 1)) {
                        throw MedmaasException.invalid("--threshold sensitivity:S needs 0 < S ≤ 1.");
                    }
                    return new ThresholdRule("sensitivity", v);
                }
                case "cost" -> {
                    if (!(v > 0)) {
                        throw MedmaasException.invalid("--threshold cost:R needs R > 0.");
                    }
                    return new ThresholdRule("cost", v);
                }
                default -> { }
            }
        }
        throw MedmaasException.invalid("--threshold must be youden, fixed:P, sensitivity:S or cost:R, not '" + text + "'.");
    }

    public double choose(double[] probability, int[] positive) {
        return switch (kind) {
            case "youden" -> ThresholdSelection.youden(probability, positive);
            case "sensitivity" -> ThresholdSelection.forSensitivity(probability, positive, value);
            case "cost" -> ThresholdSelection.forCostRatio(probability, positive, value);
            default -> value;
        };
    }

    @Override
    public String toString() {
        return kind.equals("youden") ? "youden" : kind + ":" + value;
    }
}
