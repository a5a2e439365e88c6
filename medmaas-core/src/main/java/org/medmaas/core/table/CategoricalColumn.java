package org.medmaas.core.table;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;

/**
 * A column of labels, dictionary-encoded: each cell is an index into {@link #levels()}, or
 * {@link #MISSING_CODE}. Levels keep first-seen order unless built otherwise.
 */
public final class CategoricalColumn implements Column {

    public static final int MISSING_CODE = -1;

    private final String name;
    private final int[] codes;
    private final List<String> levels;
    private final int missingCount;

    private CategoricalColumn(String name, int[] codes, List<String> levels) {
        this.name = Objects.requireNonNull(name, "name");
        this.codes = codes;
        this.levels = List.copyOf(levels);
        int missingCells = 0;
        for (int code : codes) {
            if (code == MISSING_CODE) {
                missingCells++;
            } else if (code < 0 || code >= this.levels.size()) {
                throw new MedmaasException(ErrorCode.INTERNAL,
                        "Column '" + name + "' has a code outside its " + this.levels.size() + " levels.");
            }
        }
        this.missingCount = missingCells;
    }

    /** A column over codes into the given levels ({@link #MISSING_CODE} for missing). */
    public static CategoricalColumn of(String name, int[] codes, List<String> levels) {
        return new CategoricalColumn(name, codes.clone(), levels);
    }

    static CategoricalColumn wrap(String name, int[] codes, List<String> levels) {
        return new CategoricalColumn(name, codes, levels);
    }

    /** A column from labels; cells flagged in {@code missing} are missing (their label is ignored). */
    public static CategoricalColumn fromLabels(String name, List<String> labels, java.util.BitSet missing) {
        Map<String, Integer> index = new HashMap<>();
        java.util.ArrayList<String> levels = new java.util.ArrayList<>();
        int[] codes = new int[labels.size()];
        for (int i = 0; i < codes.length; i++) {
            if (missing.get(i)) {
                codes[i] = MISSING_CODE;
                continue;
            }
            String label = labels.get(i);
            Integer code = index.get(label);
            if (code == null) {
                code = levels.size();
                index.put(label, code);
                levels.add(label);
            }
            codes[i] = code;
        }
        return new CategoricalColumn(name, codes, levels);
    }

    /** A column from labels with no missing values. */
    public static CategoricalColumn of(String name, String... labels) {
        return fromLabels(name, List.of(labels), new java.util.BitSet());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ColumnType type() {
        return ColumnType.CATEGORICAL;
    }

    @Override
    public int size() {
        return codes.length;
    }

    @Override
    public boolean isMissing(int row) {
        return codes[row] == MISSING_CODE;
    }

    @Override
    public int missingCount() {
        return missingCount;
    }

    public List<String> levels() {
        return levels;
    }

    /** The level index at a row, or {@link #MISSING_CODE}. */
    public int code(int row) {
        return codes[row];
    }

    /** The label at a row; an error if missing. */
    public String label(int row) {
        int code = codes[row];
        if (code == MISSING_CODE) {
            throw new MedmaasException(ErrorCode.INTERNAL,
                    "Column '" + name + "' row " + (row + 1) + " is missing; check isMissing first.");
        }
        return levels.get(code);
    }

    /** Count of rows per level, indexed like {@link #levels()}. */
    public int[] levelCounts() {
        int[] counts = new int[levels.size()];
        for (int code : codes) {
            if (code != MISSING_CODE) {
                counts[code]++;
            }
        }
        return counts;
    }

    @Override
    public CategoricalColumn rename(String newName) {
        return new CategoricalColumn(newName, codes, levels);
    }

    @Override
    public CategoricalColumn take(int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = codes[rows[i]];
        }
        return new CategoricalColumn(name, out, levels);
    }

    @Override
    public String format(int row) {
        return codes[row] == MISSING_CODE ? "" : levels.get(codes[row]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CategoricalColumn other && name.equals(other.name)
                && levels.equals(other.levels) && Arrays.equals(codes, other.codes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, levels, Arrays.hashCode(codes));
    }

    @Override
    public String toString() {
        return "CategoricalColumn[" + name + ", " + codes.length + " rows, " + levels.size() + " levels]";
    }
}
