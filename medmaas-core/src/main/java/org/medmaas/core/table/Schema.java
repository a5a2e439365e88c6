package org.medmaas.core.table;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.medmaas.core.error.MedmaasException;

/** The ordered, uniquely named columns of a {@link Table}. */
public record Schema(List<ColumnSpec> columns) {

    /**
     * Up to this many columns, duplicates are found by comparing pairs: a served request builds
     * a schema per preprocessing step, and a hash map per schema was a steady share of its garbage.
     */
    private static final int PAIRWISE_CHECK_MAX = 32;

    public Schema {
        columns = List.copyOf(columns);
        if (columns.size() <= PAIRWISE_CHECK_MAX) {
            for (int i = 1; i < columns.size(); i++) {
                String name = columns.get(i).name();
                for (int j = 0; j < i; j++) {
                    if (columns.get(j).name().equals(name)) {
                        throw duplicate(name, j, i);
                    }
                }
            }
        } else {
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                Integer previous = seen.put(columns.get(i).name(), i);
                if (previous != null) {
                    throw duplicate(columns.get(i).name(), previous, i);
                }
            }
        }
    }

    private static MedmaasException duplicate(String name, int first, int second) {
        return MedmaasException.invalid("Column '" + name + "' appears twice (positions " + (first + 1) + " and "
                + (second + 1) + "). Rename one of them.");
    }

    public int size() {
        return columns.size();
    }

    public ColumnSpec column(int index) {
        return columns.get(index);
    }

    /** Position of a column, if present. */
    public Optional<Integer> find(String name) {
        int at = position(name);
        return at < 0 ? Optional.empty() : Optional.of(at);
    }

    /** Position of a column; an error naming the column and the available ones if absent. */
    public int indexOf(String name) {
        int at = position(name);
        if (at < 0) {
            throw MedmaasException.notFound("No column named '" + name + "'. Available columns: " + abbreviatedNames() + ".");
        }
        return at;
    }

    /** A linear search, -1 if absent: schemas are narrow, and lookups run per served request. */
    private int position(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    public boolean contains(String name) {
        return position(name) >= 0;
    }

    public List<String> names() {
        return columns.stream().map(ColumnSpec::name).toList();
    }

    private String abbreviatedNames() {
        List<String> names = names();
        if (names.size() <= 20) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, 20)) + ", … (" + names.size() + " in all)";
    }
}
