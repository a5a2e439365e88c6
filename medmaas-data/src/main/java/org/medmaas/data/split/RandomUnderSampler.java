package org.medmaas.data.split;

import java.util.Arrays;
import java.util.Random;

/** Keeps a random subset of each larger class, as many rows as the smallest class has. */
public record RandomUnderSampler(long seed) implements Resampler {

    @Override
    public TrainingSet resample(TrainingSet train) {
        ClassLabels labels = train.labels();
        int smallest = Arrays.stream(labels.counts()).min().orElse(0);
        Random random = new Random(seed);
        int[] keep = labels.rowsByClass().stream()
                .flatMapToInt(rows -> Arrays.stream(Shuffle.copy(rows, random), 0, smallest))
                .sorted().toArray();
        return new TrainingSet(train.table().take(keep), train.target());
    }
}
