package org.medmaas.ml.calibration;

/** How a binary classifier's probabilities are calibrated on out-of-fold predictions. */
public enum CalibrationMethod {
    /** Left as the learner gives them. */
    NONE,
    /** Platt scaling: a logistic curve on the score (Platt, 1999). */
    PLATT,
    /** Isotonic regression: a monotone step function (Zadrozny and Elkan, 2002). */
    ISOTONIC;

    /** Fits this method's calibrator on probabilities and 0/1 outcomes (not for NONE). */
    public Calibrator fit(double[] probability, int[] positive) {
        return switch (this) {
            case PLATT -> PlattScaling.fit(probability, positive);
            case ISOTONIC -> IsotonicCalibration.fit(probability, positive);
            case NONE -> throw new IllegalStateException("NONE fits no calibrator");
        };
    }
}
