package org.medmaas.diagnosis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;

/**
 * Rows grouped by one column (sex, age bands, site…) so that performance can be reported per
 * group and unequal performance shows. Categorical and boolean columns group by value; numeric
 * columns by band edges ({@code [40, 65]} gives {@code <40}, {@code 40–65}, {@code ≥65}); rows with
 * no value form "(missing)".
 */
public final class Subgroups {

    /**
     * Groups with fewer rows than this are reported without metrics or a count: small cells can
     * identify patients (the 1–10 suppression rule of CMS's cell-size policy) and their metrics
     * are noise anyway.
     */
    public static final int MIN_REPORTED_ROWS = 11;

    private Subgroups() {
    }

    /**
     * A column to group by, with band edges when it is numeric.
     *
     * @param column    the column
     * @param bandEdges edges for a numeric column (empty for categories)
     */
    public record Spec(String column, List<Double> bandEdges) {

        public Spec {
            if (column.isBlank()) {
                throw MedmaasException.invalid("A subgroup needs a column name.");
            }
            bandEdges = bandEdges.stream().sorted().toList();
        }

        /** {@code sex}, or {@code age:40,65} for bands of a numeric column. */
        public static Spec parse(String text) {
            int colon = text.indexOf(':');
            if (colon < 0) {
                return new Spec(text.strip(), List.of());
            }
            List<Double> edges = new ArrayList<>();
            for (String part : text.substring(colon + 1).split(",")) {
                try {
                    edges.add(Double.parseDouble(part.strip()));
                } catch (NumberFormatException e) {
                    throw MedmaasException.invalid("Subgroup '" + text + "': band edges must be numbers, as in age:40,65.");
                }
            }
            return new Spec(text.substring(0, colon).strip(), edges);
        }

        @Override
        public String toString() {
            return bandEdges.isEmpty() ? column
                    : column + ":" + String.join(",", bandEdges.stream().map(Subgroups::format).toList());
        }
    }

    /** The rows of each group, in band order for numbers and by name otherwise. */
    public static Map<String, int[]> rows(Table table, Spec spec) {
        if (!table.has(spec.column())) {
            throw MedmaasException.notFound("No column '" + spec.column() + "' to group by.");
        }
        Column c = table.column(spec.column());
        Map<String, List<Integer>> groups = new TreeMap<>();
        if (c instanceof NumericColumn && !spec.bandEdges().isEmpty()) {
            groups = new LinkedHashMap<>(); // bands keep their numeric order
            groups.put(band(spec.bandEdges().get(0) - 1, spec.bandEdges()), new ArrayList<>());
            for (double edge : spec.bandEdges()) {
                groups.put(band(edge, spec.bandEdges()), new ArrayList<>());
            }
        }
        for (int i = 0; i < table.rowCount(); i++) {
            String key;
            if (c.isMissing(i)) {
                key = "(missing)";
            } else if (c instanceof NumericColumn n) {
                if (spec.bandEdges().isEmpty()) {
                    throw MedmaasException.invalid("Column '" + spec.column() + "' is numeric: give band edges (e.g. "
                            + spec.column() + ":40,65).");
                }
                key = band(n.get(i), spec.bandEdges());
            } else if (c.type().isSensitive()) {
                throw MedmaasException.invalid("Column '" + spec.column() + "' is " + c.type().label()
                        + "; subgroups are formed from categorical, boolean or numeric columns.");
            } else {
                key = c.format(i);
            }
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        Map<String, int[]> out = new LinkedHashMap<>();
        groups.forEach((k, v) -> {
            if (!v.isEmpty()) {
                out.put(k, v.stream().mapToInt(Integer::intValue).toArray());
            }
        });
        return out;
    }

    /**
     * A group's metrics as reported: its row count and the finite metrics, or only
     * {@code suppressed = 1} when it has fewer than {@value #MIN_REPORTED_ROWS} rows.
     */
    public static Map<String, Double> reported(int rows, Map<String, Double> metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (rows < MIN_REPORTED_ROWS) {
            out.put("suppressed", 1.0);
            return out;
        }
        out.put("rows", (double) rows);
        metrics.forEach((k, v) -> {
            if (Double.isFinite(v)) {
                out.put(k, v);
            }
        });
        return out;
    }

    static String band(double v, List<Double> sorted) {
        if (v < sorted.get(0)) {
            return "<" + format(sorted.get(0));
        }
        for (int k = 1; k < sorted.size(); k++) {
            if (v < sorted.get(k)) {
                return format(sorted.get(k - 1)) + "–" + format(sorted.get(k));
            }
        }
        return "≥" + format(sorted.get(sorted.size() - 1));
    }

    private static String format(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
