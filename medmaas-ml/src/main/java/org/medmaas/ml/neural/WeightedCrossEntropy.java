package org.medmaas.ml.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * Row-weighted cross-entropy on logits: the numerically stable logistic loss
 * {@code max(z, 0) − z·y + log(1 + e^{−|z|})} for one logit, log-softmax otherwise. Labels are
 * (class index, row weight); the loss is the weighted mean over the batch.
 */
final class WeightedCrossEntropy extends Loss {

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
