package org.medmaas.data.split;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Duplicates randomly chosen rows of smaller classes until every class is as large as the largest. */
public record RandomOverSampler(long seed) implements Resampler {

    @Override
    public TrainingSet resample(TrainingSet train) {
        ClassLabels labels = train.labels();
        int largest = java.util.Arrays.stream(labels.counts()).max().orElse(0);
        Random random = new Random(seed);
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < train.rowCount(); r++) {
            rows.add(r);
        }
        for (int[] classRows : labels.rowsByClass()) {
            for (int i = classRows.length; i < largest; i++) {
                rows.add(classRows[random.nextInt(classRows.length)]);
            }
        }
        return new TrainingSet(train.table().take(rows.stream().mapToInt(Integer::intValue).toArray()), train.target());
    }
}
