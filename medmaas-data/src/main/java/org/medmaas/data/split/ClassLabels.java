package org.medmaas.data.split;

import java.util.ArrayList;
import java.util.List;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.BooleanColumn;
import org.medmaas.core.table.CategoricalColumn;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;

/**
 * A target column read as class indices: categorical levels, booleans (false, true) or numeric
 * values (sorted distinct values, for 0/1-coded outcomes). Missing targets are refused: a row
 * without an outcome cannot be stratified or learned from.
 */
public record ClassLabels(String target, List<String> classes, int[] index) {

    private static final int MAX_CLASSES = 1000;

    public ClassLabels {
        classes = List.copyOf(classes);
    }

    public static ClassLabels of(Table table, String target) {
        Column column = table.column(target);
        if (column.missingCount() > 0) {
            throw MedmaasException.invalid("Target column '" + target + "' has " + column.missingCount()
                    + " missing values. Drop those rows first.");
        }
        int n = column.size();
        int[] index = new int[n];
        List<String> classes = new ArrayList<>();
        switch (column) {
            case CategoricalColumn c -> {
                // Classes in sorted order, as scikit-learn's LabelEncoder: "neg" < "pos" makes the
                // second class the positive one, so binary metrics agree across tools.
                int[] counts = c.levelCounts();
                List<String> present = new ArrayList<>();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] > 0) {
                        present.add(c.levels().get(i));
                    }
                }
                present.sort(null);
                classes.addAll(present);
                int[] remap = new int[counts.length];
                for (int i = 0; i < counts.length; i++) {
                    remap[i] = counts[i] > 0 ? present.indexOf(c.levels().get(i)) : -1;
                }
                for (int i = 0; i < n; i++) {
                    index[i] = remap[c.code(i)];
                }
            }
            case BooleanColumn b -> {
                classes.add("false");
                classes.add("true");
                for (int i = 0; i < n; i++) {
                    index[i] = b.get(i) ? 1 : 0;
                }
            }
            case NumericColumn num -> {
                double[] distinct = java.util.Arrays.stream(num.presentValues()).distinct().sorted().toArray();
                if (distinct.length > MAX_CLASSES) {
                    throw MedmaasException.invalid("Target column '" + target + "' has more than " + MAX_CLASSES
                            + " distinct values; classification needs a class label.");
                }
                for (double d : distinct) {
                    classes.add(formatNumber(d));
                }
                for (int i = 0; i < n; i++) {
                    index[i] = java.util.Arrays.binarySearch(distinct, num.get(i));
                }
            }
            default -> throw MedmaasException.invalid("Target column '" + target + "' is " + column.type().label()
                    + "; a class target must be categorical, boolean or numeric.");
        }
        return new ClassLabels(target, classes, index);
    }

    private static String formatNumber(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    public int classCount() {
        return classes.size();
    }

    public int[] counts() {
        int[] counts = new int[classes.size()];
        for (int i : index) {
            counts[i]++;
        }
        return counts;
    }

    /** Row positions per class, in row order. */
    public List<int[]> rowsByClass() {
        int[] counts = counts();
        List<int[]> out = new ArrayList<>();
        int[] fill = new int[counts.length];
        for (int count : counts) {
            out.add(new int[count]);
        }
        for (int r = 0; r < index.length; r++) {
            out.get(index[r])[fill[index[r]]++] = r;
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassLabels l && target.equals(l.target) && classes.equals(l.classes)
                && java.util.Arrays.equals(index, l.index);
    }

    @Override
    public int hashCode() {
        return target.hashCode() * 31 + classes.hashCode();
    }

    @Override
    public String toString() {
        return "ClassLabels[" + target + ", " + classes + "]";
    }
}
