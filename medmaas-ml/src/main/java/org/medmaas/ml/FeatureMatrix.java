package org.medmaas.ml;

import java.util.ArrayList;
import java.util.List;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.model.LabeledMatrix;
import org.medmaas.core.table.BooleanColumn;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;
import org.medmaas.data.split.ClassLabels;

/**
 * Turns a preprocessed table into the numbers learners take: numeric columns as they are,
 * booleans as 0/1; identifier columns are left out. Anything else, and any missing cell, is an
 * error that names the column and the preprocessing step that fixes it.
 */
public final class FeatureMatrix {

    private FeatureMatrix() {
    }

    /** The feature columns of a table: every column but the target and identifiers. */
    public static List<String> featureNames(Table table, String target) {
        List<String> out = new ArrayList<>();
        for (Column c : table.columns()) {
            if (!c.name().equals(target) && c.type() != ColumnType.IDENTIFIER) {
                out.add(c.name());
            }
        }
        return out;
    }

    /** Rows × the given columns, in that order. */
    public static double[][] matrix(Table table, List<String> features) {
        double[][] x = new double[table.rowCount()][features.size()];
        for (int j = 0; j < features.size(); j++) {
            String name = features.get(j);
            if (!table.has(name)) {
                throw MedmaasException.invalid("Feature '" + name + "' is missing from the data. The model needs the"
                        + " same columns it was trained with.");
            }
            Column c = table.column(name);
            if (c.missingCount() > 0) {
                throw MedmaasException.invalid("Feature '" + name + "' has " + c.missingCount()
                        + " missing values. Add an imputation step to the preprocessing.");
            }
            switch (c) {
                case NumericColumn n -> {
                    for (int i = 0; i < x.length; i++) {
                        x[i][j] = n.get(i);
                    }
                }
                case BooleanColumn b -> {
                    for (int i = 0; i < x.length; i++) {
                        x[i][j] = b.get(i) ? 1.0 : 0.0;
                    }
                }
                default -> throw MedmaasException.invalid("Feature '" + name + "' is " + c.type().label()
                        + "; learners take numbers. Add a one-hot or ordinal encoding step, or drop the column.");
            }
        }
        return x;
    }

    /** Checks every row has the model's number of features; an error naming the first row that does not. */
    public static void requireWidth(double[][] x, int features) {
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != features) {
                throw MedmaasException.invalid("Row " + (i + 1) + " has " + x[i].length + " features; the model takes "
                        + features + ".");
            }
        }
    }

    /** Rows as one row-major float array, the layout native engines (XGBoost, ONNX Runtime) take. */
    public static float[] toFloatRowMajor(double[][] x, int features) {
        requireWidth(x, features);
        float[] values = new float[x.length * features];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < features; j++) {
                values[i * features + j] = (float) x[i][j];
            }
        }
        return values;
    }

    /** Features and a numeric target of a table, ready for a regression trainer; missing targets are refused. */
    public static org.medmaas.core.model.RegressionMatrix regression(Table table, String target) {
        if (!(table.column(target) instanceof org.medmaas.core.table.NumericColumn values)) {
            throw MedmaasException.invalid("The target '" + target + "' must be numeric for a regression model.");
        }
        double[] y = new double[table.rowCount()];
        for (int i = 0; i < y.length; i++) {
            if (values.isMissing(i)) {
                throw MedmaasException.invalid("Target '" + target + "' is missing on row " + (i + 1)
                        + "; drop or impute such rows before training.");
            }
            y[i] = values.get(i);
        }
        List<String> features = featureNames(table, target);
        return org.medmaas.core.model.RegressionMatrix.unweighted(matrix(table, features), y, features);
    }

    /** Features and labels of a table, ready for a trainer. */
    public static LabeledMatrix labeled(Table table, String target, List<String> classes) {
        ClassLabels labels = ClassLabels.of(table, target);
        int[] y = new int[table.rowCount()];
        for (int i = 0; i < y.length; i++) {
            String label = labels.classes().get(labels.index()[i]);
            y[i] = classes.indexOf(label);
            if (y[i] < 0) {
                throw MedmaasException.invalid("Target '" + target + "' has a class that the training data did not have.");
            }
        }
        List<String> features = featureNames(table, target);
        return LabeledMatrix.unweighted(matrix(table, features), y, features, classes);
    }
}
