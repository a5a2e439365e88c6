package org.medmaas.data.preprocess;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.DateTimeColumn;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;

/**
 * Replaces date/time columns by numeric parts ({@code <column>_year}, {@code _month}, …) in UTC.
 * {@code EPOCH_DAY} gives days since 1970-01-01, useful for trends.
 */
public record DateParts(List<String> columns, List<Part> parts, boolean keepOriginal) implements StepSpec {

    public enum Part { YEAR, MONTH, DAY_OF_MONTH, DAY_OF_WEEK, DAY_OF_YEAR, HOUR, EPOCH_DAY }

    public DateParts {
        columns = List.copyOf(columns);
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw MedmaasException.invalid("Date parts: list at least one part (e.g. YEAR, MONTH).");
        }
    }

    @Override
    public Fitted fit(Table train) {
        return new Fitted(Columns.select(train, columns, Set.of(ColumnType.DATETIME), "date-parts"), parts, keepOriginal);
    }

    public record Fitted(List<String> columns, List<Part> parts, boolean keepOriginal) implements FittedStep {
        public Fitted {
            columns = List.copyOf(columns);
            parts = List.copyOf(parts);
        }

        @Override
        public Table apply(Table table) {
            Table out = table;
            for (String name : columns) {
                DateTimeColumn c = (DateTimeColumn) Columns.require(table, name, ColumnType.DATETIME, "date-parts");
                List<Column> replacement = new ArrayList<>();
                if (keepOriginal) {
                    replacement.add(c);
                }
                for (Part part : parts) {
                    double[] values = new double[c.size()];
                    BitSet missing = new BitSet();
                    for (int i = 0; i < values.length; i++) {
                        if (c.isMissing(i)) {
                            missing.set(i);
                        } else {
                            values[i] = part(c.epochMillis(i), part);
                        }
                    }
                    replacement.add(NumericColumn.of(name + "_" + part.name().toLowerCase(Locale.ROOT), values, missing));
                }
                out = out.replace(name, replacement);
            }
            return out;
        }

        private static double part(long epochMillis, Part part) {
            ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC);
            return switch (part) {
                case YEAR -> t.getYear();
                case MONTH -> t.getMonthValue();
                case DAY_OF_MONTH -> t.getDayOfMonth();
                case DAY_OF_WEEK -> t.getDayOfWeek().getValue();
                case DAY_OF_YEAR -> t.getDayOfYear();
                case HOUR -> t.getHour();
                case EPOCH_DAY -> Math.floorDiv(epochMillis, 86_400_000L);
            };
        }
    }
}
