package org.medmaas.diagnosis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;
import org.medmaas.data.preprocess.FittedPipeline;
import org.medmaas.data.preprocess.PipelineSpec;
import org.medmaas.data.split.ClassLabels;
import org.medmaas.data.split.StratifiedKFold;
import org.medmaas.ml.FeatureMatrix;
import org.medmaas.ml.evaluation.CrossValidation;
import org.medmaas.ml.metrics.ClassificationMetrics;
import org.medmaas.ml.neural.SequenceData;
import org.medmaas.ml.neural.SequenceModel;
import org.medmaas.ml.neural.SequenceTrainer;

/**
 * A visit table — one row per encounter, as {@code medmaas data cohort --sequences} writes it:
 * {@code patient_id}, {@code visit} (the order), the per-visit inputs and the patient's target —
 * grouped into each patient's visits in order. Patients keep the order of their first row.
 * The target must be the same on every visit of a patient.
 */
final class VisitTable {

    static final String ID_COLUMN = "patient_id";
    static final String ORDER_COLUMN = "visit";
    static final String ID_COLUMN_KEY = "id_column";
    static final String ORDER_COLUMN_KEY = "order_column";

    private final Table data;
    private final List<int[]> rowsByPatient;
    private final Optional<ClassLabels> labels;

    private VisitTable(Table data, List<int[]> rowsByPatient, Optional<ClassLabels> labels) {
        this.data = data;
        this.rowsByPatient = rowsByPatient;
        this.labels = labels;
    }

    /** Groups a labeled visit table; the target is checked to be set and constant per patient. */
    static VisitTable of(Table data, String target) {
        VisitTable grouped = grouped(data);
        Column y = data.column(target);
        int[] first = new int[grouped.patients()];
        for (int p = 0; p < first.length; p++) {
            int[] rows = grouped.rowsByPatient.get(p);
            first[p] = rows[0];
            for (int r : rows) {
                if (y.isMissing(r)) {
                    throw MedmaasException.invalid("Target column '" + target + "' row " + (r + 1) + " is missing.");
                }
                if (!y.format(r).equals(y.format(rows[0]))) {
                    throw MedmaasException.invalid("Target column '" + target + "' differs between the visits of one"
                            + " patient (rows " + (rows[0] + 1) + " and " + (r + 1) + "); a sequence has one outcome.");
                }
            }
        }
        ClassLabels labels = ClassLabels.of(data.take(first), target);
        return new VisitTable(data, grouped.rowsByPatient, Optional.of(labels));
    }

    /** Groups an unlabeled visit table (for prediction). */
    static VisitTable grouped(Table data) {
        if (!data.has(ID_COLUMN) || data.column(ID_COLUMN).type() != ColumnType.IDENTIFIER) {
            throw MedmaasException.invalid("Sequence models read a visit table with an identifier column '" + ID_COLUMN
                    + "' (medmaas data cohort --sequences writes one).");
        }
        if (!data.has(ORDER_COLUMN) || !(data.column(ORDER_COLUMN) instanceof NumericColumn order)) {
            throw MedmaasException.invalid("Sequence models read a visit table with a numeric '" + ORDER_COLUMN
                    + "' column giving each visit's order.");
        }
        if (order.missingCount() > 0) {
            throw MedmaasException.invalid("Column '" + ORDER_COLUMN + "' has missing values; every visit needs its order.");
        }
        Column ids = data.column(ID_COLUMN);
        Map<String, List<Integer>> byPatient = new LinkedHashMap<>();
        for (int r = 0; r < data.rowCount(); r++) {
            if (ids.isMissing(r)) {
                throw MedmaasException.invalid("Column '" + ID_COLUMN + "' row " + (r + 1) + " is missing.");
            }
            byPatient.computeIfAbsent(ids.format(r), k -> new ArrayList<>()).add(r);
        }
        if (byPatient.isEmpty()) {
            throw MedmaasException.invalid("The visit table has no rows.");
        }
        List<int[]> rows = new ArrayList<>();
        for (List<Integer> patientRows : byPatient.values()) {
            rows.add(patientRows.stream().sorted(Comparator.comparingDouble(order::get)).mapToInt(Integer::intValue).toArray());
        }
        return new VisitTable(data, rows, Optional.empty());
    }

    /** Each patient's first visit row. */
    int[] firstRows() {
        return rowsByPatient.stream().mapToInt(rows -> rows[0]).toArray();
    }

    int patients() {
        return rowsByPatient.size();
    }

    ClassLabels labels() {
        return labels.orElseThrow(() -> new IllegalStateException("an unlabeled visit table has no labels"));
    }

    /** Each patient's visits, in order, as rows of a matrix aligned with the table's rows. */
    List<double[][]> sequences(double[][] rowMatrix) {
        List<double[][]> out = new ArrayList<>(rowsByPatient.size());
        for (int[] rows : rowsByPatient) {
            double[][] s = new double[rows.length][];
            for (int v = 0; v < rows.length; v++) {
                s[v] = rowMatrix[rows[v]];
            }
            out.add(s);
        }
        return out;
    }

    /** The labeled sequences from a preprocessed copy of the table (same rows, model features). */
    SequenceData sequenceData(Table prepared, List<String> classes) {
        List<String> features = FeatureMatrix.featureNames(prepared, "");
        return SequenceData.unweighted(sequences(FeatureMatrix.matrix(prepared, features)), labels().index(), features,
                classes);
    }

    /**
     * Stratified k-fold over patients, preprocessing fitted on the training patients' visits only;
     * metrics per fold at threshold 0.5 and out-of-fold probabilities per patient.
     */
    CrossValidation.Result crossValidate(List<String> inputs, PipelineSpec preprocessing, SequenceTrainer trainer,
            int folds, long seed, Runnable onFold) {
        ClassLabels y = labels();
        int[] fold = new StratifiedKFold(folds, seed).assign(y);
        double[][] oof = new double[patients()][];
        List<Map<String, Double>> perFold = new ArrayList<>();
        Table inputTable = data.select(inputs);
        for (int f = 0; f < folds; f++) {
            List<Integer> trainRows = new ArrayList<>();
            List<Integer> testPatients = new ArrayList<>();
            List<Integer> trainPatients = new ArrayList<>();
            for (int p = 0; p < patients(); p++) {
                if (fold[p] == f) {
                    testPatients.add(p);
                } else {
                    trainPatients.add(p);
                    for (int r : rowsByPatient.get(p)) {
                        trainRows.add(r);
                    }
                }
            }
            if (testPatients.isEmpty()) {
                continue;
            }
            FittedPipeline pipeline = preprocessing.fit(inputTable.take(trainRows.stream().mapToInt(Integer::intValue).toArray()));
            Table prepared = pipeline.apply(inputTable);
            List<String> features = FeatureMatrix.featureNames(prepared, "");
            List<double[][]> all = sequences(FeatureMatrix.matrix(prepared, features));
            SequenceData train = SequenceData.unweighted(trainPatients.stream().map(all::get).toList(),
                    trainPatients.stream().mapToInt(p -> y.index()[p]).toArray(), features, y.classes());
            try (SequenceModel model = trainer.fit(train)) {
                double[][] p = model.predictProbabilities(testPatients.stream().map(all::get).toList());
                int[] truth = testPatients.stream().mapToInt(q -> y.index()[q]).toArray();
                perFold.add(ClassificationMetrics.report(truth, p, 0.5));
                for (int t = 0; t < testPatients.size(); t++) {
                    oof[testPatients.get(t)] = p[t];
                }
            }
            onFold.run();
        }
        return CrossValidation.summarize(trainer.parameters().cell().name().toLowerCase(java.util.Locale.ROOT), perFold,
                oof, y.index(), y.classes());
    }
}
