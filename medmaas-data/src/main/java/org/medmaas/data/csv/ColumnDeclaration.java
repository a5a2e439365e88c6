package org.medmaas.data.csv;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.ColumnType;

/**
 * One column as a schema file declares it.
 *
 * @param name          the header name
 * @param type          the column type
 * @param min           the smallest allowed value (numeric columns), if any
 * @param max           the largest allowed value (numeric columns), if any
 * @param missingTokens extra tokens that mean "missing" in this column only (e.g. {@code 0} for
 *                      a blood pressure recorded as zero when not measured)
 * @param description   free documentation, carried into model cards later
 */
public record ColumnDeclaration(String name, ColumnType type, OptionalDouble min, OptionalDouble max,
        List<String> missingTokens, Optional<String> description) {

    public ColumnDeclaration {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        missingTokens = List.copyOf(missingTokens);
        if ((min.isPresent() || max.isPresent()) && type != ColumnType.NUMERIC) {
            throw MedmaasException.invalid("Schema column '" + name + "': min and max apply to numeric"
                    + " columns only, but it is declared " + type.label() + ".");
        }
        if (min.isPresent() && max.isPresent() && min.getAsDouble() > max.getAsDouble()) {
            throw MedmaasException.invalid("Schema column '" + name + "': min is greater than max.");
        }
    }

    public static ColumnDeclaration of(String name, ColumnType type) {
        return new ColumnDeclaration(name, type, OptionalDouble.empty(), OptionalDouble.empty(),
                List.of(), Optional.empty());
    }
}
