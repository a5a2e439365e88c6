package org.medmaas.data.split;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.CategoricalColumn;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.StringColumn;
import org.medmaas.core.table.Table;

/**
 * SMOTE (Chawla et al., 2002, "SMOTE: Synthetic Minority Over-sampling Technique", JAIR 16):
 * for each smaller class, new rows are placed at a random point on the segment between a row and
 * one of its {@code k} nearest same-class neighbours (Euclidean), until the class is as large as
 * the largest. Features must be numeric without missing values (impute and encode first);
 * identifier and text columns are left missing in synthetic rows.
 */
public record Smote(int k, long seed) implements Resampler {

    public Smote {
        if (k < 1) {
            throw MedmaasException.invalid("SMOTE 'k' must be at least 1.");
        }
    }

    @Override
    public TrainingSet resample(TrainingSet train) {
        Table table = train.table();
        String target = train.target();
        if (table.column(target).type() != ColumnType.CATEGORICAL) {
            throw MedmaasException.invalid("SMOTE needs a categorical target; convert '" + target + "' first.");
        }
        List<String> features = new ArrayList<>();
        for (Column c : table.columns()) {
            if (c.name().equals(target) || c.type().isSensitive()) {
                continue;
            }
            if (c.type() != ColumnType.NUMERIC || c.missingCount() > 0) {
                throw MedmaasException.invalid("SMOTE needs numeric features without missing values, but column '"
                        + c.name() + "' is " + c.type().label() + (c.missingCount() > 0 ? " with missing values" : "")
                        + ". Impute and encode before resampling.");
            }
            features.add(c.name());
        }
        double[][] x = new double[table.rowCount()][features.size()];
        for (int j = 0; j < features.size(); j++) {
            NumericColumn c = table.numeric(features.get(j));
            for (int i = 0; i < x.length; i++) {
                x[i][j] = c.get(i);
            }
        }
        ClassLabels labels = ClassLabels.of(table, target);
        int largest = Arrays.stream(labels.counts()).max().orElse(0);
        Random random = new Random(seed);
        List<double[]> synthetic = new ArrayList<>();
        List<String> syntheticLabels = new ArrayList<>();
        List<int[]> byClass = labels.rowsByClass();
        for (int c = 0; c < byClass.size(); c++) {
            int[] rows = byClass.get(c);
            int needed = largest - rows.length;
            if (needed == 0) {
                continue;
            }
            if (rows.length < 2) {
                throw MedmaasException.invalid("SMOTE needs at least 2 rows of class '" + labels.classes().get(c)
                        + "' in the training data; it has " + rows.length + ". Use random over-sampling instead.");
            }
            int[][] neighbours = nearestNeighbours(x, rows, Math.min(k, rows.length - 1));
            for (int s = 0; s < needed; s++) {
                int pick = random.nextInt(rows.length);
                int[] nn = neighbours[pick];
                double[] a = x[rows[pick]];
                double[] b = x[nn[random.nextInt(nn.length)]];
                double gap = random.nextDouble();
                double[] point = new double[a.length];
                for (int j = 0; j < a.length; j++) {
                    point[j] = a[j] + gap * (b[j] - a[j]);
                }
                synthetic.add(point);
                syntheticLabels.add(labels.classes().get(c));
            }
        }
        if (synthetic.isEmpty()) {
            return train;
        }
        List<Column> extra = new ArrayList<>();
        BitSet allMissing = new BitSet();
        allMissing.set(0, synthetic.size());
        for (Column c : table.columns()) {
            if (c.name().equals(target)) {
                extra.add(CategoricalColumn.fromLabels(target, syntheticLabels, new BitSet()));
            } else if (c.type().isSensitive()) {
                extra.add(StringColumn.of(c.name(), c.type(), java.util.Collections.nCopies(synthetic.size(), ""), allMissing));
            } else {
                int j = features.indexOf(c.name());
                double[] values = new double[synthetic.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = synthetic.get(i)[j];
                }
                extra.add(NumericColumn.of(c.name(), values));
            }
        }
        return new TrainingSet(table.concat(Table.of(extra)), target);
    }

    /** For each row of the class, its {@code k} nearest other rows of the same class. */
    private static int[][] nearestNeighbours(double[][] x, int[] rows, int k) {
        int[][] out = new int[rows.length][];
        double[] distance = new double[rows.length];
        Integer[] order = new Integer[rows.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < rows.length; j++) {
                double d = 0;
                for (int f = 0; f < x[0].length; f++) {
                    double diff = x[rows[i]][f] - x[rows[j]][f];
                    d += diff * diff;
                }
                distance[j] = i == j ? Double.POSITIVE_INFINITY : d;
                order[j] = j;
            }
            Arrays.sort(order, (a, b) -> Double.compare(distance[a], distance[b]));
            out[i] = new int[k];
            for (int n = 0; n < k; n++) {
                out[i][n] = rows[order[n]];
            }
        }
        return out;
    }
}
