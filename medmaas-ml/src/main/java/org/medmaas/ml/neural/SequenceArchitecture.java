package org.medmaas.ml.neural;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.GRU;
import ai.djl.nn.recurrent.LSTM;

/**
 * The shape of a trained sequence model, stored beside its DJL parameters ({@code sequence.json}).
 *
 * @param version    the file's format version
 * @param cell       LSTM or GRU
 * @param inputs     per-visit inputs: the features plus a "visit present" channel
 * @param hidden     recurrent state size
 * @param layers     stacked recurrent layers
 * @param outputs    1 logit for binary models, one per class otherwise
 * @param maxVisits  visits per sequence (older ones dropped, shorter ones left-padded)
 * @param dropout    dropout between layers in training
 */
record SequenceArchitecture(int version, SequenceParameters.Cell cell, int inputs, int hidden, int layers, int outputs,
        int maxVisits, double dropout) {

    static final int VERSION = 1;

    /** Recurrent layers over [batch, visits, inputs], the last visit's output, then a linear layer to logits. */
    SequentialBlock block() {
        SequentialBlock block = new SequentialBlock();
        if (cell == SequenceParameters.Cell.LSTM) {
            block.add(LSTM.builder().setStateSize(hidden).setNumLayers(layers).optBatchFirst(true)
                    .optDropRate((float) dropout).optReturnState(false).build());
        } else {
            block.add(GRU.builder().setStateSize(hidden).setNumLayers(layers).optBatchFirst(true)
                    .optDropRate((float) dropout).optReturnState(false).build());
        }
        // Sequences are left-padded, so the last step is every patient's most recent visit.
        block.add(new LambdaBlock(list -> new NDList(list.head().get(new NDIndex(":, -1, :"))), "last_visit"));
        block.add(Linear.builder().setUnits(outputs).build());
        return block;
    }
}
