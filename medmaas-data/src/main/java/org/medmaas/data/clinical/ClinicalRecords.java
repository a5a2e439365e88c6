package org.medmaas.data.clinical;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.Table;
import org.medmaas.core.table.TableBuilder;

/**
 * Patient records in one canonical shape, whatever the source (Synthea CSV, FHIR R4, MIMIC-III):
 * seven tables whose columns are fixed by {@link #SCHEMAS}. Codes carry their system
 * ({@link CodeSystem}) so a cohort spec can ask for "SNOMED 44054006 or ICD-10 E11*" in any source.
 * Identifiers are identifier columns; free-text descriptions are text columns.
 */
public record ClinicalRecords(Table patients, Table encounters, Table conditions, Table observations,
        Table medications, Table allergies, Table procedures) {

    /** The canonical columns of each table, in order. */
    public static final Map<String, List<Map.Entry<String, ColumnType>>> SCHEMAS = schemas();

    private static Map<String, List<Map.Entry<String, ColumnType>>> schemas() {
        Map<String, List<Map.Entry<String, ColumnType>>> m = new LinkedHashMap<>();
        var id = ColumnType.IDENTIFIER;
        var dt = ColumnType.DATETIME;
        var cat = ColumnType.CATEGORICAL;
        var text = ColumnType.TEXT;
        m.put("patients", List.of(Map.entry("patient_id", id), Map.entry("birth_date", dt), Map.entry("death_date", dt),
                Map.entry("sex", cat), Map.entry("race", cat), Map.entry("ethnicity", cat)));
        m.put("encounters", List.of(Map.entry("encounter_id", id), Map.entry("patient_id", id), Map.entry("start", dt),
                Map.entry("stop", dt), Map.entry("class", cat), Map.entry("system", cat), Map.entry("code", cat),
                Map.entry("description", text)));
        m.put("conditions", List.of(Map.entry("patient_id", id), Map.entry("encounter_id", id), Map.entry("onset", dt),
                Map.entry("abatement", dt), Map.entry("system", cat), Map.entry("code", cat), Map.entry("description", text)));
        m.put("observations", List.of(Map.entry("patient_id", id), Map.entry("encounter_id", id), Map.entry("time", dt),
                Map.entry("system", cat), Map.entry("code", cat), Map.entry("description", text),
                Map.entry("value", ColumnType.NUMERIC), Map.entry("value_text", text), Map.entry("unit", cat)));
        m.put("medications", List.of(Map.entry("patient_id", id), Map.entry("encounter_id", id), Map.entry("start", dt),
                Map.entry("stop", dt), Map.entry("system", cat), Map.entry("code", cat), Map.entry("description", text)));
        m.put("allergies", List.of(Map.entry("patient_id", id), Map.entry("encounter_id", id), Map.entry("onset", dt),
                Map.entry("system", cat), Map.entry("code", cat), Map.entry("description", text)));
        m.put("procedures", List.of(Map.entry("patient_id", id), Map.entry("encounter_id", id), Map.entry("time", dt),
                Map.entry("system", cat), Map.entry("code", cat), Map.entry("description", text)));
        return java.util.Collections.unmodifiableMap(m);
    }

    public ClinicalRecords {
        check("patients", patients);
        check("encounters", encounters);
        check("conditions", conditions);
        check("observations", observations);
        check("medications", medications);
        check("allergies", allergies);
        check("procedures", procedures);
    }

    private static void check(String name, Table table) {
        Objects.requireNonNull(table, name);
        List<String> expected = SCHEMAS.get(name).stream().map(Map.Entry::getKey).toList();
        if (!table.schema().names().equals(expected)) {
            throw new MedmaasException(org.medmaas.core.error.ErrorCode.INTERNAL, "The " + name
                    + " table has columns " + table.schema().names() + ", not the canonical " + expected + ".");
        }
    }

    /** An empty builder for one canonical table. */
    public static TableBuilder builder(String table) {
        List<Map.Entry<String, ColumnType>> columns = SCHEMAS.get(table);
        if (columns == null) {
            throw new MedmaasException(org.medmaas.core.error.ErrorCode.INTERNAL, "No canonical table " + table);
        }
        TableBuilder b = new TableBuilder();
        columns.forEach(e -> b.declare(e.getKey(), e.getValue()));
        return b;
    }

    /** Tables by name, in canonical order. */
    public Map<String, Table> tables() {
        Map<String, Table> m = new LinkedHashMap<>();
        m.put("patients", patients);
        m.put("encounters", encounters);
        m.put("conditions", conditions);
        m.put("observations", observations);
        m.put("medications", medications);
        m.put("allergies", allergies);
        m.put("procedures", procedures);
        return m;
    }
}
