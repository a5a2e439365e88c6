package org.medmaas.ml.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import java.util.Random;
import java.util.function.Supplier;

/** The minibatch loop and helpers shared by the neural trainers. */
final class Training {

    private Training() {
    }

    /** How a trainer turns rows (by index) into network inputs. */
    @FunctionalInterface
    interface Inputs {
        NDArray of(NDManager manager, int[] rows, int start, int end);
    }

    /**
     * Adam over shuffled minibatches (seeded), with early stopping: after each epoch the loss on
     * the hold-out rows is computed, and training stops once it has not improved for
     * {@code patience} epochs. Returns the snapshot of the best epoch, or of the last epoch
     * when there are no hold-out rows. Snapshots copy the weights out (writing them back into the
     * block with NDArray.set would make libtorch print a deprecation warning on every run).
     *
     * @param y       class index per row, and {@code weights} its weight, as {@link WeightedCrossEntropy} takes them
     */
    static <T> T fit(Trainer trainer, WeightedCrossEntropy loss, Inputs inputs, double[] y, double[] weights,
            int[] trainRows, int[] validationRows, int batchSize, int maxEpochs, int patience, long seed,
            Supplier<T> snapshot) {
        Random random = new Random(seed);
        int[] order = trainRows.clone();
        double bestLoss = Double.POSITIVE_INFINITY;
        T best = null;
        int sinceBest = 0;
        NDManager manager = trainer.getManager();
        for (int epoch = 0; epoch < maxEpochs; epoch++) {
            shuffle(order, random);
            for (int start = 0; start < order.length; start += batchSize) {
                int end = Math.min(order.length, start + batchSize);
                try (NDManager batch = manager.newSubManager()) {
                    NDList x = new NDList(inputs.of(batch, order, start, end));
                    NDList labels = labels(batch, y, weights, order, start, end);
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        collector.backward(loss.evaluate(labels, trainer.forward(x)));
                    }
                    trainer.step();
                }
            }
            if (validationRows.length == 0) {
                continue;
            }
            double validationLoss;
            try (NDManager batch = manager.newSubManager()) {
                NDList logits = trainer.evaluate(new NDList(inputs.of(batch, validationRows, 0, validationRows.length)));
                validationLoss = loss.evaluate(labels(batch, y, weights, validationRows, 0, validationRows.length), logits)
                        .getFloat();
            }
            if (validationLoss < bestLoss - 1e-6) {
                bestLoss = validationLoss;
                best = snapshot.get();
                sinceBest = 0;
            } else if (++sinceBest >= patience) {
                break;
            }
        }
        return best != null ? best : snapshot.get();
    }

    /** The labels as the loss takes them: class indices, then row weights. */
    private static NDList labels(NDManager manager, double[] y, double[] weights, int[] rows, int start, int end) {
        float[] labels = new float[end - start];
        float[] w = new float[end - start];
        for (int r = start; r < end; r++) {
            labels[r - start] = (float) y[rows[r]];
            w[r - start] = (float) weights[rows[r]];
        }
        return new NDList(manager.create(labels), manager.create(w));
    }

    /**
     * Training and hold-out rows: a stratified share held out when early stopping is on
     * ({@code patience > 0}), none otherwise (or when the hold-out would take every row).
     */
    static int[][] split(int[] y, int classes, int patience, double share, long seed) {
        boolean[] validation = patience > 0 ? org.medmaas.ml.HoldOut.stratified(y, classes, share, seed) : new boolean[y.length];
        int[] train = rows(validation, false);
        int[] held = rows(validation, true);
        return train.length == 0 ? new int[][] {held, new int[0]} : new int[][] {train, held};
    }

    /** Adam at a fixed learning rate, with L2 weight decay added to the gradients. */
    static ai.djl.training.optimizer.Optimizer adam(double learningRate, double weightDecay) {
        return ai.djl.training.optimizer.Optimizer.adam()
                .optLearningRateTracker(ai.djl.training.tracker.Tracker.fixed((float) learningRate))
                .optWeightDecays((float) weightDecay)
                .build();
    }

    static double[] asDoubles(int[] y) {
        double[] out = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = y[i];
        }
        return out;
    }

    static int[] rows(boolean[] select, boolean pick) {
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

    static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
