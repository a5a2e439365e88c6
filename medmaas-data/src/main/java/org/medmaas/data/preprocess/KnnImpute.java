package org.medmaas.data.preprocess;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;

/**
 * k-nearest-neighbour imputation of numeric columns, as scikit-learn's {@code KNNImputer} with
 * uniform weights: a missing cell takes the mean of that column over the {@code k} training rows
 * nearest by NaN-Euclidean distance (squared differences over the coordinates both rows have,
 * scaled up by all/present coordinates). Scale the columns first if their units differ.
 *
 * @param columns the numeric columns used for distances and imputed; empty means all numeric
 * @param k       number of neighbours
 */
public record KnnImpute(List<String> columns, int k) implements StepSpec {

    public KnnImpute {
        columns = List.copyOf(columns);
        if (k < 1) {
            throw MedmaasException.invalid("'k' for k-nearest-neighbour imputation must be at least 1.");
        }
    }

    @Override
    public Fitted fit(Table train) {
        List<String> names = Columns.select(train, columns, Set.of(ColumnType.NUMERIC), "knn-impute");
        double[][] donors = new double[train.rowCount()][names.size()];
        for (int j = 0; j < names.size(); j++) {
            NumericColumn c = train.numeric(names.get(j));
            for (int i = 0; i < donors.length; i++) {
                donors[i][j] = c.getOrNaN(i);
            }
        }
        return new Fitted(names, k, donors);
    }

    /** @param donors the training rows (NaN for missing), kept because imputation needs neighbours */
    public record Fitted(List<String> columns, int k, double[][] donors) implements FittedStep {
        public Fitted {
            columns = List.copyOf(columns);
        }

        @Override
        public Table apply(Table table) {
            int n = table.rowCount();
            int p = columns.size();
            double[][] rows = new double[n][p];
            for (int j = 0; j < p; j++) {
                NumericColumn c = Columns.requireNumeric(table, columns.get(j), "knn-impute");
                for (int i = 0; i < n; i++) {
                    rows[i][j] = c.getOrNaN(i);
                }
            }
            double[][] filled = new double[p][n];
            for (int j = 0; j < p; j++) {
                for (int i = 0; i < n; i++) {
                    filled[j][i] = rows[i][j];
                }
            }
            double[] distance = new double[donors.length];
            Integer[] order = new Integer[donors.length];
            for (int i = 0; i < n; i++) {
                boolean anyMissing = false;
                for (double v : rows[i]) {
                    anyMissing |= Double.isNaN(v);
                }
                if (!anyMissing) {
                    continue;
                }
                for (int d = 0; d < donors.length; d++) {
                    distance[d] = nanEuclidean(rows[i], donors[d]);
                    order[d] = d;
                }
                Arrays.sort(order, (a, b) -> Double.compare(distance[a], distance[b]));
                for (int j = 0; j < p; j++) {
                    if (!Double.isNaN(rows[i][j])) {
                        continue;
                    }
                    double sum = 0;
                    int used = 0;
                    for (int o = 0; o < order.length && used < k; o++) {
                        int d = order[o];
                        if (!Double.isNaN(donors[d][j]) && !Double.isNaN(distance[d])) {
                            sum += donors[d][j];
                            used++;
                        }
                    }
                    // As scikit-learn: a row sharing no present column with any donor takes the column mean.
                    filled[j][i] = used > 0 ? sum / used : donorMean(j);
                }
            }
            Table out = table;
            for (int j = 0; j < p; j++) {
                out = out.with(NumericColumn.of(columns.get(j), filled[j], new BitSet()));
            }
            return out;
        }

        private double donorMean(int j) {
            double sum = 0;
            int count = 0;
            for (double[] donor : donors) {
                if (!Double.isNaN(donor[j])) {
                    sum += donor[j];
                    count++;
                }
            }
            if (count == 0) {
                throw MedmaasException.invalid("Column '" + columns.get(j) + "' had no values in the training data,"
                        + " so k-nearest-neighbour imputation cannot fill it. Drop the column first.");
            }
            return sum / count;
        }

        static double nanEuclidean(double[] a, double[] b) {
            double sum = 0;
            int present = 0;
            for (int j = 0; j < a.length; j++) {
                if (!Double.isNaN(a[j]) && !Double.isNaN(b[j])) {
                    double d = a[j] - b[j];
                    sum += d * d;
                    present++;
                }
            }
            return present == 0 ? Double.NaN : Math.sqrt(sum * a.length / present);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Fitted f && columns.equals(f.columns) && k == f.k && Arrays.deepEquals(donors, f.donors);
        }

        @Override
        public int hashCode() {
            return columns.hashCode() * 31 + k;
        }

        @Override
        public String toString() {
            return "KnnImpute.Fitted[" + columns + ", k=" + k + ", " + donors.length + " donors]";
        }
    }
}
