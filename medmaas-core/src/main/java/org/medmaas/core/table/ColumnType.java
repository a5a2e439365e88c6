package org.medmaas.core.table;

import java.util.Locale;

/** The kinds of column a {@link Table} can hold. */
public enum ColumnType {
    /** Real numbers (measurements, counts, scores). */
    NUMERIC,
    /** A value from a finite set of labels (sex, diagnosis code, smoking status). */
    CATEGORICAL,
    /** True or false. */
    BOOLEAN,
    /** An instant or a calendar date, stored as UTC epoch milliseconds. */
    DATETIME,
    /** Free text (notes, descriptions). May identify a patient: never echoed. */
    TEXT,
    /** A patient, encounter or record identifier. Never a model feature, never echoed. */
    IDENTIFIER;

    /** Whether cell values of this type may identify a person on their own. */
    public boolean isSensitive() {
        return this == TEXT || this == IDENTIFIER;
    }

    /** The lower-case name used in schema files and output. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a label from a schema file; accepts a few common synonyms. */
    public static ColumnType fromLabel(String label) {
        return switch (label.trim().toLowerCase(Locale.ROOT)) {
            case "numeric", "number", "float", "double", "integer", "int" -> NUMERIC;
            case "categorical", "category", "factor", "nominal" -> CATEGORICAL;
            case "boolean", "bool", "binary" -> BOOLEAN;
            case "datetime", "date", "timestamp", "time" -> DATETIME;
            case "text", "string", "free_text" -> TEXT;
            case "identifier", "id" -> IDENTIFIER;
            default -> throw org.medmaas.core.error.MedmaasException.invalid(
                    "Unknown column type '" + label + "'. Use one of: numeric, categorical, boolean,"
                            + " datetime, text, identifier.");
        };
    }
}
