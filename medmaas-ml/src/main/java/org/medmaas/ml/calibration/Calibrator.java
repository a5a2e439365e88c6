package org.medmaas.ml.calibration;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A fitted map from a binary model's positive-class probability to a calibrated one. Fitted on
 * held-out predictions (out-of-fold or a validation split), never on the model's training rows.
 * Records, so they travel as JSON in model bundles.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "method")
@JsonSubTypes({
        @JsonSubTypes.Type(value = PlattScaling.class, name = "platt"),
        @JsonSubTypes.Type(value = IsotonicCalibration.class, name = "isotonic"),
})
public interface Calibrator {

    double calibrate(double probability);

    default double[] calibrate(double[] probabilities) {
        double[] out = new double[probabilities.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = calibrate(probabilities[i]);
        }
        return out;
    }
}
