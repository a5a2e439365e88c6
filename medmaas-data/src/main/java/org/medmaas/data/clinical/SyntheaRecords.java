package org.medmaas.data.clinical;

import java.nio.file.Path;
import java.util.Map;
import org.medmaas.core.table.Table;
import org.medmaas.core.table.TableBuilder;
import org.medmaas.data.synthea.SyntheaExport;

/**
 * Maps a Synthea CSV export onto {@link ClinicalRecords}. Synthea codes conditions, encounters
 * and procedures in SNOMED CT, observations in LOINC and medications in RxNorm; allergies name
 * their system per row.
 */
public final class SyntheaRecords {

    private SyntheaRecords() {
    }

    public static ClinicalRecords read(Path exportDir) {
        return from(SyntheaExport.read(exportDir));
    }

    public static ClinicalRecords from(Map<String, Table> export) {
        Table empty = Table.of();
        return new ClinicalRecords(
                patients(export.get("patients")),
                encounters(export.getOrDefault("encounters", empty)),
                coded(export.getOrDefault("conditions", empty), "conditions", "START", "STOP", CodeSystem.SNOMED),
                observations(export.getOrDefault("observations", empty)),
                coded(export.getOrDefault("medications", empty), "medications", "START", "STOP", CodeSystem.RXNORM),
                allergies(export.getOrDefault("allergies", empty)),
                coded(export.getOrDefault("procedures", empty), "procedures", "START", null, CodeSystem.SNOMED));
    }

    private static Table patients(Table t) {
        TableBuilder b = ClinicalRecords.builder("patients");
        for (int r = 0; r < t.rowCount(); r++) {
            b.text("patient_id", Cells.text(t, "Id", r));
            Cells.copyInstant(t, "BIRTHDATE", r, b, "birth_date");
            Cells.copyInstant(t, "DEATHDATE", r, b, "death_date");
            b.text("sex", CodeSystem.canonicalSex(Cells.text(t, "GENDER", r)));
            b.text("race", Cells.text(t, "RACE", r));
            b.text("ethnicity", Cells.text(t, "ETHNICITY", r));
            b.endRow();
        }
        return b.build();
    }

    private static Table encounters(Table t) {
        TableBuilder b = ClinicalRecords.builder("encounters");
        for (int r = 0; r < t.rowCount(); r++) {
            b.text("encounter_id", Cells.text(t, "Id", r));
            b.text("patient_id", Cells.text(t, "PATIENT", r));
            Cells.copyInstant(t, "START", r, b, "start");
            Cells.copyInstant(t, "STOP", r, b, "stop");
            b.text("class", Cells.text(t, "ENCOUNTERCLASS", r));
            b.text("system", CodeSystem.SNOMED.name());
            b.text("code", Cells.text(t, "CODE", r));
            b.text("description", Cells.text(t, "DESCRIPTION", r));
            b.endRow();
        }
        return b.build();
    }

    /** Conditions, medications and procedures share a shape: patient, encounter, start, stop, code. */
    private static Table coded(Table t, String table, String start, String stop, CodeSystem system) {
        TableBuilder b = ClinicalRecords.builder(table);
        String startColumn = table.equals("conditions") ? "onset" : table.equals("procedures") ? "time" : "start";
        for (int r = 0; r < t.rowCount(); r++) {
            b.text("patient_id", Cells.text(t, "PATIENT", r));
            b.text("encounter_id", Cells.text(t, "ENCOUNTER", r));
            Cells.copyInstant(t, start, r, b, startColumn);
            if (stop != null) {
                Cells.copyInstant(t, stop, r, b, table.equals("conditions") ? "abatement" : "stop");
            }
            b.text("system", system.name());
            b.text("code", Cells.text(t, "CODE", r));
            b.text("description", Cells.text(t, "DESCRIPTION", r));
            b.endRow();
        }
        return b.build();
    }

    private static Table observations(Table t) {
        TableBuilder b = ClinicalRecords.builder("observations");
        for (int r = 0; r < t.rowCount(); r++) {
            b.text("patient_id", Cells.text(t, "PATIENT", r));
            b.text("encounter_id", Cells.text(t, "ENCOUNTER", r));
            Cells.copyInstant(t, "DATE", r, b, "time");
            b.text("system", CodeSystem.LOINC.name());
            b.text("code", Cells.text(t, "CODE", r));
            b.text("description", Cells.text(t, "DESCRIPTION", r));
            String value = Cells.text(t, "VALUE", r);
            double number = "numeric".equals(Cells.text(t, "TYPE", r)) ? Cells.number(value) : Double.NaN;
            if (Double.isNaN(number)) {
                b.text("value_text", value);
            } else {
                b.number("value", number);
            }
            b.text("unit", Cells.text(t, "UNITS", r));
            b.endRow();
        }
        return b.build();
    }

    private static Table allergies(Table t) {
        TableBuilder b = ClinicalRecords.builder("allergies");
        for (int r = 0; r < t.rowCount(); r++) {
            b.text("patient_id", Cells.text(t, "PATIENT", r));
            b.text("encounter_id", Cells.text(t, "ENCOUNTER", r));
            Cells.copyInstant(t, "START", r, b, "onset");
            String system = Cells.text(t, "SYSTEM", r);
            b.text("system", (system == null ? CodeSystem.SNOMED
                    : CodeSystem.parse(system.replace("-CT", "")).orElse(CodeSystem.OTHER)).name());
            b.text("code", Cells.text(t, "CODE", r));
            b.text("description", Cells.text(t, "DESCRIPTION", r));
            b.endRow();
        }
        return b.build();
    }
}
