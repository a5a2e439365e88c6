package org.medmaas.data.shift;

import java.util.List;

/**
 * Dataset shift between a model's training data (its inputs' training summaries) and data it is
 * evaluated on or served, per input, most moved first.
 *
 * @param rows         rows compared
 * @param inputs       per input with a training summary, by PSI (largest first; inputs without one last)
 * @param imputedShare the share of all input values that were missing, so that the model saw imputed ones
 * @param unsummarized inputs the bundle keeps no training summary for (older or imported models)
 * @param warnings     what a reader should act on, in sentences naming inputs, never values
 */
public record ShiftReport(long rows, List<InputShift> inputs, double imputedShare, List<String> unsummarized,
        List<String> warnings) {

    public ShiftReport {
        inputs = List.copyOf(inputs);
        unsummarized = List.copyOf(unsummarized);
        warnings = List.copyOf(warnings);
    }
}
