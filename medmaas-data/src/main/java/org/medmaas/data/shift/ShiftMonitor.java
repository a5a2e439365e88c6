package org.medmaas.data.shift;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.serving.InputField;
import org.medmaas.core.serving.TrainingSummary;
import org.medmaas.core.table.BooleanColumn;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;
import org.medmaas.data.stats.GroupTests;

/**
 * Compares data a model sees with its training data, input by input: a one-off comparison of a
 * table ({@link #compare}) or a sliding window over the rows a server scores ({@link #record} then
 * {@link #report}). A window's report is published every {@value #PUBLISH_EVERY} rows (or every
 * window, if smaller) and not before, so that no published figure rests on fewer patients and two
 * consecutive reports never differ by a single patient's bins.
 *
 * <p>Each row is reduced at once to a bin per input (the bins of the training summary's quantiles,
 * or its categories), so the window holds bin numbers, never patients' values. From the bins'
 * counts: the population stability index, PSI = Σ (a − e)·ln(a / e) over the bins' new shares a and
 * training shares e, missing being a bin of its own (each share floored at {@value #FLOOR} so that an
 * empty bin counts without dividing by zero); for numbers the two-sample Kolmogorov–Smirnov statistic at the training quantiles (the
 * largest gap between the two cumulative shares there, a lower bound of the full statistic) with
 * its asymptotic p-value; for categories a chi-square test of the training counts against the new
 * ones; the missing share beside training's, and the share outside the training range or levels.
 *
 * <p>Written here rather than taken from a drift library: the comparison is against stored
 * aggregates, not against training rows, which the bundle does not keep; the tests themselves are
 * the textbook ones (the chi-square from {@link GroupTests}).
 */
public final class ShiftMonitor {

    /** Rows a server's window keeps unless told otherwise. */
    public static final int DEFAULT_WINDOW = 1000;
    /** The smallest share a bin counts with in the PSI. */
    static final double FLOOR = 1e-4;
    /** Fewer rows than this: the report says its figures are rough. */
    static final int FEW_ROWS = 30;
    /** A window publishes its report every this many rows. */
    public static final int PUBLISH_EVERY = 100;
    /** Inputs with more training levels than this are left unsummarized (a row's bin must fit its code). */
    static final int MAX_LEVELS = 16_000;
    private static final short OUT_OF_RANGE = 0x4000;
    private static final short MISSING = 0;

    private final List<Binning> binnings = new ArrayList<>();
    private final List<String> unsummarized = new ArrayList<>();
    private final short[][] ring;   // null for a one-off comparison: every row counts, none is evicted
    private final int publishEvery;
    private final long[][] counts;
    private final long[] outOfRange;
    private long recorded;
    private ShiftReport published;

    /** A monitor of the last {@code window} rows for a model's inputs. */
    public ShiftMonitor(List<InputField> inputs, int window) {
        this(inputs, window, true);
    }

    private ShiftMonitor(List<InputField> inputs, int window, boolean windowed) {
        if (window < 1) {
            throw MedmaasException.invalid("The shift window must hold at least one row.");
        }
        for (InputField field : inputs) {
            if (field.summary().isEmpty() || field.type().equals("datetime")
                    || field.summary().get().categoryShares().size() > MAX_LEVELS) {
                unsummarized.add(field.name());
            } else {
                binnings.add(Binning.of(field));
            }
        }
        ring = windowed ? new short[window][binnings.size()] : null;
        publishEvery = Math.min(window, PUBLISH_EVERY);
        counts = new long[binnings.size()][];
        for (int j = 0; j < binnings.size(); j++) {
            counts[j] = new long[binnings.get(j).codes()];
        }
        outOfRange = new long[binnings.size()];
        published = new ShiftReport(0, List.of(), 0, unsummarized, List.of());
    }

    /** The shift of a whole table from the training data of a model with these inputs. */
    public static ShiftReport compare(List<InputField> inputs, Table data) {
        ShiftMonitor monitor = new ShiftMonitor(inputs, 1, false);
        monitor.record(data);
        return monitor.current();
    }

    /** Adds a batch of rows (columns by input name; an absent column counts as missing), dropping the oldest beyond the window. */
    public void record(Table rows) {
        // Only the rows the window can keep are binned; a one-off comparison bins them in chunks.
        int first = ring == null ? 0 : Math.max(0, rows.rowCount() - ring.length);
        List<Column> columns = new ArrayList<>();
        for (Binning b : binnings) {
            columns.add(rows.has(b.name) ? rows.column(b.name) : null); // null: absent, all missing
        }
        for (int start = first; start < rows.rowCount(); start += CHUNK) {
            short[][] codes = new short[Math.min(CHUNK, rows.rowCount() - start)][binnings.size()];
            for (int j = 0; j < binnings.size(); j++) {
                if (columns.get(j) != null) {
                    for (int i = 0; i < codes.length; i++) {
                        codes[i][j] = binnings.get(j).code(columns.get(j), start + i);
                    }
                }
            }
            add(codes);
        }
    }

    private static final int CHUNK = 4096;

    private synchronized void add(short[][] codes) {
        for (short[] row : codes) {
            if (ring != null) {
                short[] slot = ring[(int) (recorded % ring.length)];
                if (recorded >= ring.length) {
                    count(slot, -1);
                }
                System.arraycopy(row, 0, slot, 0, row.length);
            }
            count(row, 1);
            recorded++;
            if (ring != null && recorded % publishEvery == 0) {
                published = current();
            }
        }
    }

    private void count(short[] row, int delta) {
        for (int j = 0; j < row.length; j++) {
            counts[j][row[j] & ~OUT_OF_RANGE] += delta;
            if ((row[j] & OUT_OF_RANGE) != 0) {
                outOfRange[j] += delta;
            }
        }
    }

    /** Rows in the window. */
    public synchronized long rows() {
        return ring == null ? recorded : Math.min(recorded, ring.length);
    }

    /** The shift of the rows in the window, as last published (no rows until the first publication). */
    public synchronized ShiftReport report() {
        return published;
    }

    /** The shift of the rows counted now. */
    private synchronized ShiftReport current() {
        long n = rows();
        List<InputShift> inputs = new ArrayList<>();
        long missingCells = 0;
        for (int j = 0; j < binnings.size(); j++) {
            inputs.add(binnings.get(j).shift(n, counts[j], outOfRange[j]));
            missingCells += counts[j][MISSING];
        }
        inputs.sort(Comparator.comparingDouble((InputShift s) -> Double.isNaN(s.psi()) ? Double.NEGATIVE_INFINITY : s.psi())
                .reversed());
        double imputed = n == 0 || binnings.isEmpty() ? 0 : (double) missingCells / (n * binnings.size());
        return new ShiftReport(n, inputs, imputed, unsummarized, warnings(n, inputs, imputed));
    }

    private static List<String> warnings(long n, List<InputShift> inputs, double imputed) {
        List<String> out = new ArrayList<>();
        if (n < FEW_ROWS) {
            out.add(String.format(Locale.ROOT, "Only %d rows: the shift figures are rough.", n));
        }
        if (imputed > 0.5) {
            out.add(String.format(Locale.ROOT, "Most of the model's input values are missing here (%.0f%%): it scores these"
                    + " rows largely on imputed values, and its validation figures may not hold.", 100 * imputed));
        }
        java.util.Set<String> mostlyMissing = new java.util.HashSet<>();
        for (InputShift s : inputs) {
            if (s.missing() > 0.5 && s.missing() - s.trainingMissing() >= 0.2) {
                mostlyMissing.add(s.input());
                out.add(String.format(Locale.ROOT, "'%s' is missing in %.0f%% of rows (%.0f%% in training): the model sees its"
                        + " imputed value there.", s.input(), 100 * s.missing(), 100 * s.trainingMissing()));
            }
        }
        for (InputShift s : inputs) {
            if (s.psi() > InputShift.MAJOR && !mostlyMissing.contains(s.input())) { // said above, more plainly
                out.add(String.format(Locale.ROOT, "'%s' has shifted from training (PSI %.2f, major).", s.input(), s.psi()));
            }
        }
        for (InputShift s : inputs) {
            if (s.outOfRange() > 0.05) {
                out.add(String.format(Locale.ROOT, "%.0f%% of '%s' values lie outside what training saw.", 100 * s.outOfRange(),
                        s.input()));
            }
        }
        return out;
    }

    /** Asymptotic Kolmogorov distribution's upper tail Q(λ) = 2 Σ (−1)^(j−1) e^(−2 j² λ²), as Numerical Recipes' probks. */
    static double kolmogorovTail(double lambda) {
        double a2 = -2 * lambda * lambda;
        double factor = 2;
        double sum = 0;
        double previous = 0;
        for (int j = 1; j <= 100; j++) {
            double term = factor * Math.exp(a2 * j * j);
            sum += term;
            if (Math.abs(term) <= 0.001 * previous || Math.abs(term) <= 1e-8 * sum) {
                return Math.max(0, Math.min(1, sum));
            }
            factor = -factor;
            previous = Math.abs(term);
        }
        return 1; // no convergence: λ so small that the samples cannot be told apart
    }

    static double psi(double[] expected, double[] actual) {
        double psi = 0;
        for (int b = 0; b < expected.length; b++) {
            double e = Math.max(FLOOR, expected[b]);
            double a = Math.max(FLOOR, actual[b]);
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }

    /** One input's bins: code 0 is missing; numbers: 1 + the bin between training quantiles; categories: 1 + the level. */
    private static final class Binning {
        final String name;
        final boolean numeric;
        final TrainingSummary summary;
        final double[] cuts;          // numbers: distinct quantile values, ascending
        final double[] below;         // numbers: training share at or below each cut
        final double lo;
        final double hi;
        final List<String> levels;    // categories: the summary's levels, then one for those training never saw
        final Map<String, Integer> levelCode;
        final java.util.Set<String> seen;
        final double[] expected;      // per bin of present values

        private Binning(String name, boolean numeric, TrainingSummary summary, double[] cuts, double[] below, double lo,
                double hi, List<String> levels, java.util.Set<String> seen, double[] expected) {
            this.name = name;
            this.numeric = numeric;
            this.summary = summary;
            this.cuts = cuts;
            this.below = below;
            this.lo = lo;
            this.hi = hi;
            this.levels = levels;
            this.seen = seen;
            this.expected = expected;
            this.levelCode = new HashMap<>();
            for (int i = 0; i < levels.size(); i++) {
                levelCode.put(levels.get(i), i + 1);
            }
        }

        static Binning of(InputField field) {
            TrainingSummary s = field.summary().orElseThrow();
            if (field.type().equals("numeric")) {
                TreeMap<Double, Double> byValue = new TreeMap<>();
                s.quantiles().forEach((q, value) -> byValue.merge(value,
                        s.sharesAtOrBelow().getOrDefault(q, TrainingSummary.level(q)), Math::max));
                double[] cuts = byValue.keySet().stream().mapToDouble(Double::doubleValue).toArray();
                double[] below = byValue.values().stream().mapToDouble(Double::doubleValue).toArray();
                double[] expected = new double[cuts.length + 1];
                double previous = 0;
                for (int b = 0; b < cuts.length; b++) {
                    expected[b] = Math.max(0, below[b] - previous);
                    previous = Math.max(previous, below[b]);
                }
                expected[cuts.length] = 1 - previous;
                return new Binning(field.name(), true, s, cuts, below, field.observedMin().orElse(Double.NEGATIVE_INFINITY),
                        field.observedMax().orElse(Double.POSITIVE_INFINITY), List.of(), java.util.Set.of(), expected);
            }
            List<String> levels = new ArrayList<>(new TreeMap<>(s.categoryShares()).keySet());
            double[] expected = new double[levels.size() + 1];
            for (int i = 0; i < levels.size(); i++) {
                expected[i] = s.categoryShares().get(levels.get(i));
            }
            levels.add("(unseen)");
            java.util.Set<String> seen = new java.util.HashSet<>(field.levels());
            seen.addAll(s.categoryShares().keySet());
            if (field.type().equals("boolean")) {
                seen.addAll(List.of("true", "false")); // a rare one was pooled, not unseen
            }
            return new Binning(field.name(), false, s, new double[0], new double[0], 0, 0, List.copyOf(levels), seen, expected);
        }

        int codes() {
            return 1 + expected.length;
        }

        short code(Column column, int row) {
            if (column.isMissing(row)) {
                return MISSING;
            }
            if (numeric) {
                double x;
                if (column instanceof NumericColumn numbers) {
                    x = numbers.get(row);
                } else if (column instanceof BooleanColumn b) {
                    x = b.get(row) ? 1 : 0;
                } else {
                    try {
                        x = Double.parseDouble(column.format(row));
                    } catch (NumberFormatException e) {
                        return MISSING;
                    }
                }
                if (Double.isNaN(x)) {
                    return MISSING;
                }
                int bin = 0;
                while (bin < cuts.length && x > cuts[bin]) {
                    bin++;
                }
                return (short) ((1 + bin) | (x < lo || x > hi ? OUT_OF_RANGE : 0));
            }
            String value = column.format(row);
            Integer code = levelCode.get(value);
            if (code != null) {
                return code.shortValue();
            }
            Integer rare = levelCode.get(TrainingSummary.RARE);
            boolean unseen = !seen.contains(value);
            return (short) ((rare != null ? rare : levels.size()) | (unseen ? OUT_OF_RANGE : 0));
        }

        InputShift shift(long n, long[] count, long beyond) {
            long present = n - count[MISSING];
            double missing = n == 0 ? 0 : (double) count[MISSING] / n;
            double[] actual = new double[expected.length];
            for (int b = 0; b < actual.length; b++) {
                actual[b] = present == 0 ? 0 : (double) count[b + 1] / present;
            }
            // The PSI counts missing as a bin of its own, so that an input recorded in training and
            // missing now (imputed for every patient) shows as the largest shift, not as none.
            double psi = Double.NaN;
            if (n > 0) {
                double[] e = new double[expected.length + 1];
                double[] a = new double[expected.length + 1];
                e[0] = summary.missingShare();
                a[0] = missing;
                for (int b = 0; b < expected.length; b++) {
                    e[b + 1] = expected[b] * (1 - summary.missingShare());
                    a[b + 1] = (double) count[b + 1] / n;
                }
                psi = ShiftMonitor.psi(e, a);
            }
            double trainingPresent = summary.rows() * (1 - summary.missingShare());
            double outShare = present == 0 ? 0 : (double) beyond / present;
            if (numeric) {
                double d = Double.NaN;
                double p = Double.NaN;
                if (present > 0 && cuts.length > 0 && trainingPresent > 0) {
                    d = 0;
                    double cumulative = 0;
                    for (int b = 0; b < cuts.length; b++) {
                        cumulative += actual[b];
                        d = Math.max(d, Math.abs(cumulative - below[b]));
                    }
                    double en = Math.sqrt(present * trainingPresent / (present + trainingPresent));
                    p = kolmogorovTail((en + 0.12 + 0.11 / en) * d);
                }
                return new InputShift(name, "numeric", n, psi, "ks", d, p, summary.missingShare(), missing, outShare);
            }
            double chi2 = Double.NaN;
            double p = Double.NaN;
            if (present > 0 && trainingPresent > 0) {
                long[][] table = new long[2][expected.length];
                for (int b = 0; b < expected.length; b++) {
                    table[0][b] = Math.round(expected[b] * trainingPresent);
                    table[1][b] = count[b + 1];
                }
                try {
                    var result = GroupTests.chiSquareIndependence(table);
                    chi2 = result.statistic();
                    p = result.pValue();
                } catch (MedmaasException e) {
                    // one level only on both sides: nothing to test
                }
            }
            return new InputShift(name, "categorical", n, psi, "chi-square", chi2, p, summary.missingShare(), missing, outShare);
        }
    }
}
