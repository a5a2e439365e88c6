package org.medmaas.ml.neural;

import java.util.Locale;
import java.util.Objects;
import org.medmaas.core.error.MedmaasException;

/**
 * Hyperparameters of {@link SequenceTrainer}.
 *
 * @param cell             LSTM or GRU
 * @param hidden           state size of each recurrent layer
 * @param layers           stacked recurrent layers
 * @param dropout          dropout between stacked layers (with 2 or more)
 * @param learningRate     Adam's learning rate
 * @param weightDecay      L2 weight decay added to the gradients
 * @param batchSize        patients per minibatch
 * @param maxEpochs        passes over the training patients at most
 * @param patience         early stopping on the hold-out loss (0: off)
 * @param validationShare  stratified share of patients held out for early stopping
 * @param maxVisits        the most recent visits kept per patient
 * @param balanced         weight patients inversely to their class frequency
 * @param seed             seed of initialization, shuffling and the hold-out
 */
public record SequenceParameters(Cell cell, int hidden, int layers, double dropout, double learningRate, double weightDecay,
        int batchSize, int maxEpochs, int patience, double validationShare, int maxVisits, boolean balanced, long seed) {

    public enum Cell {
        LSTM, GRU;

        public static Cell parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw MedmaasException.invalid("Setting 'cell' must be lstm or gru.");
            }
        }
    }

    public SequenceParameters {
        Objects.requireNonNull(cell, "cell");
        if (hidden < 1 || hidden > 1024 || layers < 1 || layers > 4) {
            throw MedmaasException.invalid("'hidden' must be 1–1024 and 'layers' 1–4.");
        }
        if (!(dropout >= 0 && dropout < 1) || !(learningRate > 0 && learningRate <= 1) || !(weightDecay >= 0)) {
            throw MedmaasException.invalid("'dropout' must be in [0, 1), 'learning_rate' in (0, 1], 'weight_decay' ≥ 0.");
        }
        if (batchSize < 1 || maxEpochs < 1 || maxEpochs > 100_000 || maxVisits < 1 || maxVisits > 1000) {
            throw MedmaasException.invalid("'batch_size' ≥ 1, 'epochs' 1–100000 and 'max_visits' 1–1000.");
        }
        if (patience < 0 || !(validationShare > 0 && validationShare < 0.5)) {
            throw MedmaasException.invalid("'patience' must be 0 or more and 'validation_share' in (0, 0.5).");
        }
    }

    /** LSTM(32), one layer, Adam 1e-3, batch 32, up to 100 epochs with early stopping after 10, the last 20 visits. */
    public static SequenceParameters defaults(long seed) {
        return new SequenceParameters(Cell.LSTM, 32, 1, 0.0, 1e-3, 1e-4, 32, 100, 10, 0.1, 20, false, seed);
    }
}
