package org.medmaas.data.csv;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.medmaas.core.table.ColumnType;

/**
 * Infers a column's type from its header and a sample of its (non-missing, trimmed) cells.
 *
 * <p>Order of decisions: a header that names an identifier wins (MIMIC's numeric
 * {@code subject_id} is an identifier, not a measurement); then boolean, numeric, date-time;
 * then strings that all look like UUIDs are identifiers; then few distinct values make a
 * category, and everything else is free text.
 */
final class TypeInference {

    static final int MAX_CATEGORY_LEVELS = 1000;
    private static final int ALWAYS_CATEGORICAL_LEVELS = 50;

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Set<String> IDENTIFIER_NAMES = Set.of("id", "mrn", "ssn", "patient", "encounter",
            "drivers", "passport", "row_id", "subject_id", "hadm_id", "icustay_id", "patient_id",
            "patientid", "encounter_id", "encounterid", "record_id", "medical_record_number");

    private TypeInference() {
    }

    static boolean headerNamesIdentifier(String header) {
        String lower = header.toLowerCase(Locale.ROOT);
        return IDENTIFIER_NAMES.contains(lower) || lower.endsWith("_id")
                || (header.length() > 2 && header.endsWith("Id") && Character.isLowerCase(header.charAt(header.length() - 3)));
    }

    static ColumnType infer(String header, List<String> sample) {
        if (headerNamesIdentifier(header)) {
            return ColumnType.IDENTIFIER;
        }
        if (sample.isEmpty()) {
            // Nothing to go on: numeric keeps the column usable and an all-missing column
            // is reported as such by the profile.
            return ColumnType.NUMERIC;
        }
        boolean allBoolean = true;
        boolean allNumeric = true;
        boolean allDateTime = true;
        boolean allUuid = true;
        Set<String> distinct = new HashSet<>();
        for (String cell : sample) {
            if (allBoolean && !CellParsers.isBoolean(cell)) {
                allBoolean = false;
            }
            if (allNumeric && !CellParsers.isNumber(cell)) {
                allNumeric = false;
            }
            if (allDateTime && CellParsers.parseDateTime(cell).isEmpty()) {
                allDateTime = false;
            }
            if (allUuid && !UUID.matcher(cell).matches()) {
                allUuid = false;
            }
            if (distinct.size() <= MAX_CATEGORY_LEVELS) {
                distinct.add(cell);
            }
        }
        if (allBoolean) {
            return ColumnType.BOOLEAN;
        }
        if (allNumeric) {
            return ColumnType.NUMERIC;
        }
        if (allDateTime) {
            return ColumnType.DATETIME;
        }
        if (allUuid) {
            return ColumnType.IDENTIFIER;
        }
        int levels = distinct.size();
        boolean allDistinct = levels == sample.size() && sample.size() >= 20;
        if (!allDistinct && (levels <= ALWAYS_CATEGORICAL_LEVELS
                || (levels <= MAX_CATEGORY_LEVELS && levels <= 0.2 * sample.size()))) {
            return ColumnType.CATEGORICAL;
        }
        return ColumnType.TEXT;
    }
}
