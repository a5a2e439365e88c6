package org.medmaas.ml.neural;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import java.util.List;

/**
 * The shape of a trained MLP, stored beside its DJL parameters ({@code mlp.json}) so the network
 * can be rebuilt to load them.
 *
 * @param version  the file's format version
 * @param inputs   input features
 * @param hidden   hidden layer widths (ReLU)
 * @param outputs  1 logit for binary models, one per class otherwise
 * @param dropout  dropout rate used in training (inactive when scoring)
 */
record MlpArchitecture(int version, int inputs, List<Integer> hidden, int outputs, double dropout) {

    static final int VERSION = 1;

    MlpArchitecture {
        hidden = List.copyOf(hidden);
    }

    /** Linear → ReLU (→ Dropout) per hidden layer, then a linear output of logits. */
    SequentialBlock block() {
        SequentialBlock block = new SequentialBlock();
        for (int units : hidden) {
            block.add(Linear.builder().setUnits(units).build());
            block.add(Activation.reluBlock());
            if (dropout > 0) {
                block.add(Dropout.builder().optRate((float) dropout).build());
            }
        }
        block.add(Linear.builder().setUnits(outputs).build());
        return block;
    }
}
