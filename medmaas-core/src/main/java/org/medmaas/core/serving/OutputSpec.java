package org.medmaas.core.serving;

import java.util.List;

/**
 * One output of a served model as the Open Inference Protocol announces it.
 *
 * @param name        the tensor's name ("probabilities", "label", …)
 * @param datatype    the protocol datatype (FP64, BYTES, …)
 * @param shapePerRow the dimensions after the batch dimension ({@code []} for one value per row)
 */
public record OutputSpec(String name, String datatype, List<Integer> shapePerRow) {
    public OutputSpec {
        shapePerRow = List.copyOf(shapePerRow);
    }
}
