package org.medmaas.ml.neural;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Random;
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
        boolean[] validation = parameters.patience() > 0
                ? HoldOut.stratified(data.y(), classes, parameters.validationShare(), parameters.seed())
                : new boolean[data.rows()];
        int[] trainRows = rows(validation, false);
        int[] validationRows = rows(validation, true);
        if (trainRows.length == 0) {
            trainRows = validationRows;
            validationRows = new int[0];
        }
        MlpModel model;
        synchronized (Torch.seedLock()) {
            Torch.engine().setRandomSeed((int) parameters.seed());
            SequentialBlock block = architecture.block();
            try (Model djl = Model.newInstance("mlp", Torch.engine().getEngineName())) {
                djl.setBlock(block);
                WeightedCrossEntropy loss = new WeightedCrossEntropy(classes == 2);
                Optimizer adam = Optimizer.adam()
                        .optLearningRateTracker(Tracker.fixed((float) parameters.learningRate()))
                        .optWeightDecays((float) parameters.weightDecay())
                        .build();
                try (Trainer trainer = djl.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(adam))) {
                    trainer.initialize(new Shape(parameters.batchSize(), data.features()));
                    model = train(trainer, block, loss, data, weights, trainRows, validationRows, architecture);
                }
            }
        }
        Background background = data.rows() >= Background.MIN_GROUP_SIZE
                ? Background.summarize(data.x(), BACKGROUND_POINTS, parameters.seed())
                : Background.origin(data.features());
        return new KernelShapExplained(model, model.files(),
                new KernelShap(background, KernelShap.DEFAULT_COALITIONS, parameters.seed()));
    }

    /** Trains and returns the model of the best epoch (by validation loss), or of the last one without validation. */
    private MlpModel train(Trainer trainer, SequentialBlock block, WeightedCrossEntropy loss, LabeledMatrix data,
            double[] weights, int[] trainRows, int[] validationRows, MlpArchitecture architecture) {
        Random random = new Random(parameters.seed());
        int[] order = trainRows.clone();
        double bestLoss = Double.POSITIVE_INFINITY;
        MlpModel best = null;
        int sinceBest = 0;
        NDManager manager = trainer.getManager();
        for (int epoch = 0; epoch < parameters.maxEpochs(); epoch++) {
            shuffle(order, random);
            for (int start = 0; start < order.length; start += parameters.batchSize()) {
                int end = Math.min(order.length, start + parameters.batchSize());
                try (NDManager batch = manager.newSubManager()) {
                    NDList inputs = new NDList(features(batch, data, order, start, end));
                    NDList labels = labels(batch, data, weights, order, start, end);
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDList logits = trainer.forward(inputs);
                        collector.backward(loss.evaluate(labels, logits));
                    }
                    trainer.step();
                }
            }
            if (validationRows.length == 0) {
                continue;
            }
            // The best epoch is kept as a copy of the weights; writing them back into the block
            // later (NDArray.set) makes libtorch print a deprecation warning on every run.
            double validationLoss;
            try (NDManager batch = manager.newSubManager()) {
                NDList logits = trainer.evaluate(new NDList(features(batch, data, validationRows, 0, validationRows.length)));
                validationLoss = loss.evaluate(labels(batch, data, weights, validationRows, 0, validationRows.length), logits)
                        .getFloat();
            }
            if (validationLoss < bestLoss - 1e-6) {
                bestLoss = validationLoss;
                best = MlpModel.fromBlock(architecture, block, data.featureNames(), data.classes());
                sinceBest = 0;
            } else if (++sinceBest >= parameters.patience()) {
                break;
            }
        }
        return best != null ? best : MlpModel.fromBlock(architecture, block, data.featureNames(), data.classes());
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

    /** The labels as the loss takes them: class indices, then row weights. */
    private static NDList labels(NDManager manager, LabeledMatrix data, double[] weights, int[] rows, int start, int end) {
        float[] y = new float[end - start];
        float[] w = new float[end - start];
        for (int r = start; r < end; r++) {
            y[r - start] = data.y()[rows[r]];
            w[r - start] = (float) weights[rows[r]];
        }
        return new NDList(manager.create(y), manager.create(w));
    }

    private static int[] rows(boolean[] select, boolean pick) {
        int n = 0;
        for (boolean b : select) {
            n += b == pick ? 1 : 0;
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < select.length; i++) {
            if (select[i] == pick) {
                out[k++] = i;
            }
        }
        return out;
    }

    private static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * Row-weighted cross-entropy on logits: the numerically stable logistic loss
     * {@code max(z, 0) − z·y + log(1 + e^{−|z|})} for one logit, log-softmax otherwise. Labels are
     * (class index, row weight); the loss is the weighted mean over the batch.
     */
    static final class WeightedCrossEntropy extends Loss {

        private final boolean binary;

        WeightedCrossEntropy(boolean binary) {
            super("weighted_cross_entropy");
            this.binary = binary;
        }

        @Override
        public NDArray evaluate(NDList labels, NDList predictions) {
            NDArray logits = predictions.singletonOrThrow();
            NDArray y = labels.get(0);
            NDArray w = labels.get(1);
            NDArray perRow;
            if (binary) {
                NDArray z = logits.reshape(-1);
                perRow = z.maximum(0).sub(z.mul(y)).add(z.abs().neg().exp().add(1).log());
            } else {
                NDArray oneHot = y.toType(ai.djl.ndarray.types.DataType.INT64, false).oneHot((int) logits.getShape().get(1));
                perRow = logits.logSoftmax(1).mul(oneHot.toType(logits.getDataType(), false)).sum(new int[] {1}).neg();
            }
            return perRow.mul(w).sum().div(w.sum());
        }
    }
}
