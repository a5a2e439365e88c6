package org.medmaas.ml.neural;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Optimizer;
import org.medmaas.core.model.ClassifierTrainer;
import org.medmaas.core.model.LabeledMatrix;
import org.medmaas.ml.HoldOut;
import org.medmaas.ml.explain.Background;
import org.medmaas.ml.explain.KernelShap;
import org.medmaas.ml.explain.KernelShapExplained;

/**
 * Trains a multilayer perceptron with DJL on PyTorch (CPU): ReLU hidden layers, a logit output
 * (one for binary targets, one per class with softmax otherwise), weighted cross-entropy, Adam,
 * seeded minibatches, and early stopping on a stratified hold-out that keeps the best epoch's
 * weights. The network always trains on logits: DJL 0.36's
 * {@code sigmoidBinaryCrossEntropyLoss(fromSigmoid=true)} has its sign reversed (see
 * ../shared/reference/ml-libraries-trial.md §3). The model comes back explainable with Kernel SHAP
 * over a background summarized from the training rows (the origin for fewer than 10 rows).
 */
public final class MlpTrainer implements ClassifierTrainer {

    /** Background points kept for explanations. */
    private static final int BACKGROUND_POINTS = 20;

    private final MlpParameters parameters;

    public MlpTrainer(MlpParameters parameters) {
        this.parameters = parameters;
    }

    public MlpParameters parameters() {
        return parameters;
    }

    @Override
    public String name() {
        return "mlp";
    }

    @Override
    public KernelShapExplained fit(LabeledMatrix data) {
        int classes = data.classes().size();
        MlpArchitecture architecture = new MlpArchitecture(MlpArchitecture.VERSION, data.features(), parameters.hidden(),
                classes == 2 ? 1 : classes, parameters.dropout());
        double[] weights = HoldOut.rowWeights(data, parameters.balanced());
        int[][] split = Training.split(data.y(), classes, parameters.patience(), parameters.validationShare(),
                parameters.seed());
        int[] trainRows = split[0];
        int[] validationRows = split[1];
        MlpModel model;
        synchronized (Torch.seedLock()) {
            Torch.engine().setRandomSeed((int) parameters.seed());
            SequentialBlock block = architecture.block();
            try (Model djl = Model.newInstance("mlp", Torch.engine().getEngineName())) {
                djl.setBlock(block);
                WeightedCrossEntropy loss = new WeightedCrossEntropy(classes == 2);
                Optimizer adam = Training.adam(parameters.learningRate(), parameters.weightDecay());
                try (Trainer trainer = djl.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(adam))) {
                    trainer.initialize(new Shape(parameters.batchSize(), data.features()));
                    model = Training.fit(trainer, loss, (m, rows, start, end) -> features(m, data, rows, start, end),
                            Training.asDoubles(data.y()), weights, trainRows, validationRows, parameters.batchSize(),
                            parameters.maxEpochs(), parameters.patience(), parameters.seed(),
                            () -> MlpModel.fromBlock(architecture, block, data.featureNames(), data.classes()));
                }
            }
        }
        Background background = data.rows() >= Background.MIN_GROUP_SIZE
                ? Background.summarize(data.x(), BACKGROUND_POINTS, parameters.seed())
                : Background.origin(data.features());
        return new KernelShapExplained(model, model.files(),
                new KernelShap(background, KernelShap.DEFAULT_COALITIONS, parameters.seed()));
    }

    private static NDArray features(NDManager manager, LabeledMatrix data, int[] rows, int start, int end) {
        int p = data.features();
        float[] values = new float[(end - start) * p];
        for (int r = start; r < end; r++) {
            double[] row = data.x()[rows[r]];
            for (int j = 0; j < p; j++) {
                values[(r - start) * p + j] = (float) row[j];
            }
        }
        return manager.create(values, new Shape(end - start, p));
    }


}
