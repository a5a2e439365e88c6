package org.medmaas.core.table;

import java.util.Objects;
import org.medmaas.core.error.MedmaasException;

/** A column's name and type. */
public record ColumnSpec(String name, ColumnType type) {
    public ColumnSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (name.isBlank()) {
            throw MedmaasException.invalid("A column name is empty. Give every column a header.");
        }
    }
}
