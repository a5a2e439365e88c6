package org.medmaas.ml.neural;

import java.util.List;
import org.medmaas.core.error.MedmaasException;

/**
 * Hyperparameters of {@link MlpTrainer}.
 *
 * @param hidden           units of each hidden layer (ReLU), input to output; empty gives a
 *                         linear softmax/logistic model trained by Adam
 * @param dropout          dropout rate after each hidden layer (0: off)
 * @param learningRate     Adam's learning rate
 * @param weightDecay      L2 weight decay added to the gradients
 * @param batchSize        rows per minibatch
 * @param maxEpochs        passes over the training rows at most
 * @param patience         stop when the validation loss has not improved for this many epochs
 *                         (0: train all epochs on all rows); the best epoch's weights are kept
 * @param validationShare  stratified share of rows held out to watch the validation loss
 * @param balanced         weight rows inversely to their class frequency
 * @param seed             the seed of initialization, shuffling, dropout and the hold-out
 */
public record MlpParameters(List<Integer> hidden, double dropout, double learningRate, double weightDecay, int batchSize,
        int maxEpochs, int patience, double validationShare, boolean balanced, long seed) {

    public MlpParameters {
        hidden = List.copyOf(hidden);
        if (hidden.size() > 10 || hidden.stream().anyMatch(h -> h < 1 || h > 4096)) {
            throw MedmaasException.invalid("'hidden' takes up to 10 layers of 1 to 4096 units.");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw MedmaasException.invalid("'dropout' must be in [0, 1).");
        }
        if (!(learningRate > 0 && learningRate <= 1)) {
            throw MedmaasException.invalid("'learning_rate' must be in (0, 1].");
        }
        if (!(weightDecay >= 0)) {
            throw MedmaasException.invalid("'weight_decay' must not be negative.");
        }
        if (batchSize < 1 || maxEpochs < 1 || maxEpochs > 100_000) {
            throw MedmaasException.invalid("'batch_size' must be at least 1 and 'epochs' between 1 and 100000.");
        }
        if (patience < 0 || !(validationShare > 0 && validationShare < 0.5)) {
            throw MedmaasException.invalid("'patience' must be 0 or more and 'validation_share' in (0, 0.5).");
        }
    }

    /**
     * The classic network: Dense(64, relu) → Dense(64, relu) → output, Adam at 1e-3, batch 32,
     * up to 200 epochs with early stopping after 10 epochs without improvement on a 10 % hold-out.
     */
    public static MlpParameters defaults(long seed) {
        return new MlpParameters(List.of(64, 64), 0.0, 1e-3, 1e-4, 32, 200, 10, 0.1, false, seed);
    }
}
