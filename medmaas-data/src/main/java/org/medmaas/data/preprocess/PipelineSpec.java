package org.medmaas.data.preprocess;

import java.util.ArrayList;
import java.util.List;
import org.medmaas.core.table.Table;

/** Steps to fit in order; each is fitted on the output of the steps before it. */
public record PipelineSpec(List<StepSpec> steps) {

    public PipelineSpec {
        steps = List.copyOf(steps);
    }

    public static PipelineSpec of(StepSpec... steps) {
        return new PipelineSpec(List.of(steps));
    }

    /** Fits every step on the training table. */
    public FittedPipeline fit(Table train) {
        List<FittedStep> fitted = new ArrayList<>(steps.size());
        Table current = train;
        for (int i = 0; i < steps.size(); i++) {
            FittedStep step = steps.get(i).fit(current);
            fitted.add(step);
            if (i < steps.size() - 1) {
                current = step.apply(current);
            }
        }
        return new FittedPipeline(fitted);
    }
}
