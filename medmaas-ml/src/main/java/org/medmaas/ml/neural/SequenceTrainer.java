package org.medmaas.ml.neural;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.ml.HoldOut;

/**
 * Trains a recurrent classifier (LSTM or GRU, DJL on PyTorch) on patients' visit sequences: the
 * most recent {@code maxVisits} visits, left-padded, with a "visit present" channel; the last
 * step's state goes through a linear layer to logits, trained with the same row-weighted
 * cross-entropy, Adam and hold-out early stopping as the MLP. Seeded and reproducible (trainings
 * run one at a time, as PyTorch's generator is global).
 */
public final class SequenceTrainer {

    private final SequenceParameters parameters;

    public SequenceTrainer(SequenceParameters parameters) {
        this.parameters = parameters;
    }

    public SequenceParameters parameters() {
        return parameters;
    }

    public SequenceModel fit(SequenceData data) {
        int classes = data.classes().size();
        int features = data.featureNames().size();
        SequenceArchitecture architecture = new SequenceArchitecture(SequenceArchitecture.VERSION, parameters.cell(),
                features + 1, parameters.hidden(), parameters.layers(), classes == 2 ? 1 : classes, parameters.maxVisits(),
                parameters.layers() > 1 ? parameters.dropout() : 0.0);
        double[] weights = HoldOut.rowWeights(data.weights(), data.y(), classes, parameters.balanced());
        int[][] split = Training.split(data.y(), classes, parameters.patience(), parameters.validationShare(),
                parameters.seed());
        int[] trainRows = split[0];
        int[] validationRows = split[1];
        byte[] best;
        synchronized (Torch.seedLock()) {
            Torch.engine().setRandomSeed((int) parameters.seed());
            SequentialBlock block = architecture.block();
            try (Model djl = Model.newInstance("sequence", Torch.engine().getEngineName())) {
                djl.setBlock(block);
                WeightedCrossEntropy loss = new WeightedCrossEntropy(classes == 2);
                Optimizer adam = Training.adam(parameters.learningRate(), parameters.weightDecay());
                try (Trainer trainer = djl.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(adam))) {
                    trainer.initialize(new Shape(parameters.batchSize(), parameters.maxVisits(), features + 1));
                    best = Training.fit(trainer, loss, (m, rows, start, end) -> inputs(m, data, rows, start, end),
                            Training.asDoubles(data.y()), weights, trainRows, validationRows, parameters.batchSize(),
                            parameters.maxEpochs(), parameters.patience(), parameters.seed(), () -> parameters(block));
                }
            }
        }
        return SequenceModel.of(architecture, best, data.featureNames(), data.classes());
    }

    private ai.djl.ndarray.NDArray inputs(NDManager manager, SequenceData data, int[] rows, int start, int end) {
        java.util.List<double[][]> picked = new java.util.ArrayList<>(end - start);
        for (int r = start; r < end; r++) {
            picked.add(data.sequences().get(rows[r]));
        }
        return SequenceModel.tensor(manager, picked, 0, picked.size(), parameters.maxVisits(), data.featureNames().size());
    }


    private static byte[] parameters(SequentialBlock block) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            block.saveParameters(out);
        } catch (IOException e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "Could not save the sequence model: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }
}
