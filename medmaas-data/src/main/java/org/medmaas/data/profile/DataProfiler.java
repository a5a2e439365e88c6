package org.medmaas.data.profile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.BooleanColumn;
import org.medmaas.core.table.CategoricalColumn;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.DateTimeColumn;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.StringColumn;
import org.medmaas.core.table.Table;
import org.medmaas.data.preprocess.Outliers;
import org.medmaas.data.split.ClassLabels;
import org.medmaas.data.stats.Descriptive;
import org.medmaas.data.stats.GroupTests;
import org.medmaas.data.stats.TestResult;

/** Builds a {@link DataProfile}. Stateless and thread-safe. */
public final class DataProfiler {

    /** A numeric target with more distinct values than this is treated as continuous. */
    static final int MAX_TARGET_CLASSES = 20;

    public DataProfile profile(Table table, Optional<String> target, String source) {
        target.ifPresent(t -> {
            if (!table.has(t)) {
                throw MedmaasException.notFound("Target column '" + t + "' is not in " + source + ". Columns: "
                        + String.join(", ", table.schema().names()) + ".");
            }
        });
        Optional<DataProfile.TargetProfile> targetProfile = Optional.empty();
        List<DataProfile.FeatureAssociation> associations = new ArrayList<>();
        List<DataProfile.ColumnProfile> columns = null;
        if (target.isPresent()) {
            Column y = table.column(target.get());
            Table rows = y.missingCount() == 0 ? table : table.keep(presentRows(y));
            boolean continuous = y instanceof NumericColumn n && distinct(n) > MAX_TARGET_CLASSES;
            if (continuous) {
                associations.addAll(correlations(rows, target.get()));
            } else {
                ClassLabels labels = ClassLabels.of(rows, target.get());
                Map<String, Integer> counts = new LinkedHashMap<>();
                int[] c = labels.counts();
                for (int i = 0; i < c.length; i++) {
                    counts.put(labels.classes().get(i), c[i]);
                }
                targetProfile = Optional.of(new DataProfile.TargetProfile(target.get(), counts));
                if (labels.classCount() >= 2 && y.missingCount() == 0) {
                    // Every row has a target: one pass per column gives both its profile and its test,
                    // and numeric columns are sorted once (per class, then merged) instead of twice.
                    List<ColumnResult> results = table.columns().parallelStream()
                            .map(col -> profileWithAssociation(col, labels)).toList();
                    columns = results.stream().map(ColumnResult::profile).toList();
                    results.forEach(r -> r.association().ifPresent(associations::add));
                } else if (labels.classCount() >= 2) {
                    associations.addAll(groupDifferences(rows, labels));
                }
            }
            associations.sort(Comparator.comparingDouble(
                    (DataProfile.FeatureAssociation a) -> sortKey(a.primary().effectSize())).reversed());
        }
        if (columns == null) {
            // Columns are independent: profile them on all cores, keeping column order.
            columns = table.columns().parallelStream().map(c -> profileColumn(c, table.rowCount())).toList();
        }
        return new DataProfile(source, table.rowCount(), table.columnCount(), columns, targetProfile, associations);
    }

    private record ColumnResult(DataProfile.ColumnProfile profile, Optional<DataProfile.FeatureAssociation> association) {
    }

    private ColumnResult profileWithAssociation(Column c, ClassLabels labels) {
        boolean feature = !c.name().equals(labels.target()) && !c.type().isSensitive() && c.type() != ColumnType.DATETIME;
        if (!(c instanceof NumericColumn n) || !feature) {
            return new ColumnResult(profileColumn(c, c.size()),
                    feature ? association(c, labels.index(), labels.classCount()) : Optional.empty());
        }
        List<double[]> groups = numericGroups(n, labels.index(), labels.classCount());
        groups.forEach(Arrays::sort);
        double[] sorted = merge(groups);
        DataProfile.ColumnProfile profile = numericProfile(n, sorted);
        Optional<DataProfile.FeatureAssociation> association;
        try {
            association = Optional.of(new DataProfile.FeatureAssociation(c.name(), GroupTests.oneWayAnova(groups),
                    Optional.of(GroupTests.kruskalWallisSorted(groups))));
        } catch (MedmaasException e) {
            association = Optional.empty();
        }
        return new ColumnResult(profile, association);
    }

    /** Merges sorted arrays into one sorted array. */
    private static double[] merge(List<double[]> sortedGroups) {
        int n = sortedGroups.stream().mapToInt(g -> g.length).sum();
        double[] out = new double[n];
        int[] next = new int[sortedGroups.size()];
        for (int i = 0; i < n; i++) {
            int best = -1;
            for (int g = 0; g < next.length; g++) {
                double[] group = sortedGroups.get(g);
                if (next[g] < group.length && (best < 0 || group[next[g]] < sortedGroups.get(best)[next[best]])) {
                    best = g;
                }
            }
            out[i] = sortedGroups.get(best)[next[best]++];
        }
        return out;
    }

    private static double sortKey(double effect) {
        return Double.isNaN(effect) ? Double.NEGATIVE_INFINITY : Math.abs(effect);
    }

    private static java.util.BitSet presentRows(Column c) {
        java.util.BitSet keep = new java.util.BitSet();
        for (int i = 0; i < c.size(); i++) {
            if (!c.isMissing(i)) {
                keep.set(i);
            }
        }
        return keep;
    }

    private DataProfile.ColumnProfile profileColumn(Column c, int rows) {
        Optional<DataProfile.NumericSummary> numeric = Optional.empty();
        Map<String, Integer> top = new LinkedHashMap<>();
        int distinct;
        switch (c) {
            case NumericColumn n -> {
                double[] sorted = n.presentValues();
                Arrays.sort(sorted);
                return numericProfile(n, sorted);
            }
            case CategoricalColumn cat -> {
                int[] counts = cat.levelCounts();
                distinct = (int) Arrays.stream(counts).filter(x -> x > 0).count();
                Integer[] order = new Integer[counts.length];
                for (int i = 0; i < order.length; i++) {
                    order[i] = i;
                }
                Arrays.sort(order, (a, b) -> Integer.compare(counts[b], counts[a]));
                for (int i = 0; i < Math.min(5, order.length); i++) {
                    if (counts[order[i]] > 0) {
                        top.put(cat.levels().get(order[i]), counts[order[i]]);
                    }
                }
            }
            case BooleanColumn b -> {
                int trues = 0;
                int falses = 0;
                for (int i = 0; i < b.size(); i++) {
                    if (!b.isMissing(i)) {
                        if (b.get(i)) {
                            trues++;
                        } else {
                            falses++;
                        }
                    }
                }
                top.put("true", trues);
                top.put("false", falses);
                distinct = (trues > 0 ? 1 : 0) + (falses > 0 ? 1 : 0);
            }
            case DateTimeColumn d -> {
                Set<Long> seen = new HashSet<>();
                for (int i = 0; i < d.size(); i++) {
                    if (!d.isMissing(i)) {
                        seen.add(d.epochMillis(i));
                    }
                }
                distinct = seen.size();
            }
            case StringColumn s -> {
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < s.size(); i++) {
                    if (!s.isMissing(i)) {
                        seen.add(s.get(i));
                    }
                }
                distinct = seen.size();
            }
        }
        return new DataProfile.ColumnProfile(c.name(), c.type().label(), c.missingCount(),
                rows == 0 ? 0 : (double) c.missingCount() / rows, distinct, numeric, top);
    }

    /** The profile of a numeric column from its present values, sorted. */
    private static DataProfile.ColumnProfile numericProfile(NumericColumn n, double[] sorted) {
        Optional<DataProfile.NumericSummary> numeric = Optional.empty();
        if (sorted.length > 0) {
            Outliers.Fences z = Outliers.fences(sorted, Outliers.Method.ZSCORE, 3.0);
            Outliers.Fences iqr = Outliers.tukeyFences(sorted, 1.5);
            int zCount = 0;
            int iqrCount = 0;
            for (double x : sorted) {
                zCount += z.outside(x) ? 1 : 0;
                iqrCount += iqr.outside(x) ? 1 : 0;
            }
            numeric = Optional.of(new DataProfile.NumericSummary(Descriptive.mean(sorted),
                    sorted.length > 1 ? Descriptive.standardDeviation(sorted, 1) : 0.0, sorted[0],
                    Descriptive.quantileSorted(sorted, 0.25), Descriptive.quantileSorted(sorted, 0.5),
                    Descriptive.quantileSorted(sorted, 0.75), sorted[sorted.length - 1], zCount, iqrCount));
        }
        int rows = n.size();
        return new DataProfile.ColumnProfile(n.name(), n.type().label(), n.missingCount(),
                rows == 0 ? 0 : (double) n.missingCount() / rows, distinctSorted(sorted), numeric, Map.of());
    }

    private static int distinct(NumericColumn n) {
        double[] sorted = n.presentValues();
        Arrays.sort(sorted);
        return distinctSorted(sorted);
    }

    private static int distinctSorted(double[] sorted) {
        int count = sorted.length == 0 ? 0 : 1;
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] != sorted[i - 1]) {
                count++;
            }
        }
        return count;
    }

    private List<DataProfile.FeatureAssociation> groupDifferences(Table table, ClassLabels labels) {
        int[] y = labels.index();
        return table.columns().parallelStream()
                .filter(c -> !c.name().equals(labels.target()) && !c.type().isSensitive()
                        && c.type() != ColumnType.DATETIME)
                .map(c -> association(c, y, labels.classCount()))
                .flatMap(Optional::stream)
                .collect(java.util.stream.Collectors.toCollection(ArrayList::new));
    }

    private static Optional<DataProfile.FeatureAssociation> association(Column c, int[] y, int classes) {
        try {
            if (c instanceof NumericColumn n) {
                List<double[]> groups = numericGroups(n, y, classes);
                return Optional.of(new DataProfile.FeatureAssociation(c.name(), GroupTests.oneWayAnova(groups),
                        Optional.of(GroupTests.kruskalWallis(groups))));
            }
            return Optional.of(new DataProfile.FeatureAssociation(c.name(),
                    GroupTests.chiSquareIndependence(contingency(c, y, classes)), Optional.empty()));
        } catch (MedmaasException e) {
            // A constant or empty feature has no test; the column profile already shows why.
            return Optional.empty();
        }
    }

    private static List<double[]> numericGroups(NumericColumn n, int[] y, int classes) {
        int[] sizes = new int[classes];
        for (int i = 0; i < n.size(); i++) {
            if (!n.isMissing(i)) {
                sizes[y[i]]++;
            }
        }
        double[][] groups = new double[classes][];
        for (int c = 0; c < classes; c++) {
            groups[c] = new double[sizes[c]];
        }
        int[] fill = new int[classes];
        for (int i = 0; i < n.size(); i++) {
            if (!n.isMissing(i)) {
                groups[y[i]][fill[y[i]]++] = n.get(i);
            }
        }
        return List.of(groups);
    }

    private static long[][] contingency(Column c, int[] y, int classes) {
        Map<String, long[]> rows = new LinkedHashMap<>();
        for (int i = 0; i < c.size(); i++) {
            if (!c.isMissing(i)) {
                rows.computeIfAbsent(c.format(i), k -> new long[classes])[y[i]]++;
            }
        }
        return rows.values().toArray(long[][]::new);
    }

    private List<DataProfile.FeatureAssociation> correlations(Table table, String target) {
        NumericColumn y = table.numeric(target);
        List<DataProfile.FeatureAssociation> out = new ArrayList<>();
        for (Column c : table.columns()) {
            if (c.name().equals(target) || !(c instanceof NumericColumn x)) {
                continue;
            }
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < x.size(); i++) {
                if (!x.isMissing(i)) {
                    xs.add(x.get(i));
                    ys.add(y.get(i));
                }
            }
            try {
                double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
                double[] b = ys.stream().mapToDouble(Double::doubleValue).toArray();
                TestResult spearman = GroupTests.spearman(a, b);
                out.add(new DataProfile.FeatureAssociation(c.name(), spearman, Optional.of(GroupTests.pearson(a, b))));
            } catch (MedmaasException e) {
                // Too few pairs: nothing to report for this feature.
            }
        }
        return out;
    }
}
