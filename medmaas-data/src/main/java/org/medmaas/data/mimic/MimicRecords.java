package org.medmaas.data.mimic;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.DateTimeColumn;
import org.medmaas.core.table.Table;
import org.medmaas.core.table.TableBuilder;
import org.medmaas.data.clinical.ClinicalRecords;
import org.medmaas.data.clinical.CodeSystem;
import org.medmaas.data.csv.DeclaredCsv;

/**
 * Reads MIMIC-III tables (the 100-patient demo in {@code shared/datasets/mimic-iii-demo}, or the
 * full database's CSV files) into {@link ClinicalRecords}: PATIENTS → patients, ADMISSIONS →
 * encounters, DIAGNOSES_ICD → conditions (ICD-9, dated at admission, since MIMIC records no
 * diagnosis time), PRESCRIPTIONS → medications (NDC), PROCEDURES_ICD → procedures (ICD-9, dated
 * at admission). The demo lacks CHARTEVENTS and LABEVENTS, so observations are empty there.
 * Column names are matched in lower case (the demo's), with upper case accepted too.
 */
public final class MimicRecords {

    private static final Map<String, ColumnType> DECLARED = declared();

    private static Map<String, ColumnType> declared() {
        Map<String, ColumnType> m = new HashMap<>();
        for (String id : new String[] {"row_id", "subject_id", "hadm_id", "icustay_id"}) {
            m.put(id, ColumnType.IDENTIFIER);
        }
        for (String code : new String[] {"icd9_code", "ndc", "gsn", "formulary_drug_cd", "gender", "admission_type",
                "drug_type", "route"}) {
            m.put(code, ColumnType.CATEGORICAL);
        }
        for (String text : new String[] {"drug", "drug_name_poe", "drug_name_generic", "diagnosis", "long_title",
                "short_title", "prod_strength", "dose_val_rx", "form_val_disp"}) {
            m.put(text, ColumnType.TEXT);
        }
        for (String when : new String[] {"dob", "dod", "dod_hosp", "dod_ssn", "admittime", "dischtime", "deathtime",
                "edregtime", "edouttime", "startdate", "enddate"}) {
            m.put(when, ColumnType.DATETIME);
        }
        Map<String, ColumnType> both = new HashMap<>(m);
        m.forEach((k, v) -> both.put(k.toUpperCase(java.util.Locale.ROOT), v));
        return Map.copyOf(both);
    }

    private MimicRecords() {
    }

    public static ClinicalRecords read(Path dir) {
        Table patients = table(dir, "PATIENTS", true);
        Table admissions = table(dir, "ADMISSIONS", true);
        Map<String, Long> admitTime = new HashMap<>();
        DateTimeColumn admit = admissions.dateTime(col(admissions, "admittime"));
        for (int r = 0; r < admissions.rowCount(); r++) {
            if (!admit.isMissing(r)) {
                admitTime.put(admissions.column(col(admissions, "hadm_id")).format(r), admit.epochMillis(r));
            }
        }
        Map<String, String> titles = new LinkedHashMap<>();
        if (exists(dir, "D_ICD_DIAGNOSES")) {
            Table d = table(dir, "D_ICD_DIAGNOSES", false);
            for (int r = 0; r < d.rowCount(); r++) {
                titles.put(d.column(col(d, "icd9_code")).format(r), d.column(col(d, "long_title")).format(r));
            }
        }
        return new ClinicalRecords(
                patients(patients),
                encounters(admissions),
                icd(exists(dir, "DIAGNOSES_ICD") ? table(dir, "DIAGNOSES_ICD", false) : null, "conditions", "onset",
                        admitTime, titles),
                ClinicalRecords.builder("observations").build(),
                prescriptions(exists(dir, "PRESCRIPTIONS") ? table(dir, "PRESCRIPTIONS", false) : null),
                ClinicalRecords.builder("allergies").build(),
                icd(exists(dir, "PROCEDURES_ICD") ? table(dir, "PROCEDURES_ICD", false) : null, "procedures", "time",
                        admitTime, Map.of()));
    }

    private static boolean exists(Path dir, String name) {
        return Files.exists(dir.resolve(name + ".csv")) || Files.exists(dir.resolve(name.toLowerCase(java.util.Locale.ROOT) + ".csv"));
    }

    private static Table table(Path dir, String name, boolean required) {
        Path file = Files.exists(dir.resolve(name + ".csv")) ? dir.resolve(name + ".csv")
                : dir.resolve(name.toLowerCase(java.util.Locale.ROOT) + ".csv");
        if (!Files.exists(file)) {
            if (required) {
                throw MedmaasException.notFound(dir + " has no " + name + ".csv; it is not a MIMIC-III folder.");
            }
            return null;
        }
        return DeclaredCsv.read(file, DECLARED);
    }

    /** The table's own spelling of a column (lower or upper case). */
    private static String col(Table t, String lower) {
        return t.has(lower) ? lower : lower.toUpperCase(java.util.Locale.ROOT);
    }

    private static String text(Table t, String lower, int row) {
        String name = col(t, lower);
        if (!t.has(name) || t.column(name).isMissing(row)) {
            return null;
        }
        return t.column(name).format(row);
    }

    private static void copyInstant(Table t, String lower, int row, TableBuilder b, String target) {
        String name = col(t, lower);
        if (t.has(name) && t.column(name) instanceof DateTimeColumn d && !d.isMissing(row)) {
            b.instant(target, d.epochMillis(row), d.dateOnly());
        }
    }

    private static Table patients(Table t) {
        TableBuilder b = ClinicalRecords.builder("patients");
        for (int r = 0; r < t.rowCount(); r++) {
            b.text("patient_id", text(t, "subject_id", r));
            copyInstant(t, "dob", r, b, "birth_date");
            copyInstant(t, "dod", r, b, "death_date");
            b.text("sex", CodeSystem.canonicalSex(text(t, "gender", r)));
            b.endRow();
        }
        return b.build();
    }

    private static Table encounters(Table t) {
        TableBuilder b = ClinicalRecords.builder("encounters");
        for (int r = 0; r < t.rowCount(); r++) {
            b.text("encounter_id", text(t, "hadm_id", r));
            b.text("patient_id", text(t, "subject_id", r));
            copyInstant(t, "admittime", r, b, "start");
            copyInstant(t, "dischtime", r, b, "stop");
            b.text("class", text(t, "admission_type", r));
            b.endRow();
        }
        return b.build();
    }

    private static Table icd(Table t, String table, String timeColumn, Map<String, Long> admitTime,
            Map<String, String> titles) {
        TableBuilder b = ClinicalRecords.builder(table);
        if (t == null) {
            return b.build();
        }
        for (int r = 0; r < t.rowCount(); r++) {
            String code = text(t, "icd9_code", r);
            if (code == null) {
                continue;
            }
            String admission = text(t, "hadm_id", r);
            b.text("patient_id", text(t, "subject_id", r));
            b.text("encounter_id", admission);
            Long when = admission == null ? null : admitTime.get(admission);
            if (when != null) {
                b.instant(timeColumn, when, false);
            }
            b.text("system", CodeSystem.ICD9.name());
            b.text("code", code);
            b.text("description", titles.get(code));
            b.endRow();
        }
        return b.build();
    }

    private static Table prescriptions(Table t) {
        TableBuilder b = ClinicalRecords.builder("medications");
        if (t == null) {
            return b.build();
        }
        for (int r = 0; r < t.rowCount(); r++) {
            String ndc = text(t, "ndc", r);
            boolean hasNdc = ndc != null && !ndc.equals("0");
            b.text("patient_id", text(t, "subject_id", r));
            b.text("encounter_id", text(t, "hadm_id", r));
            copyInstant(t, "startdate", r, b, "start");
            copyInstant(t, "enddate", r, b, "stop");
            b.text("system", hasNdc ? CodeSystem.NDC.name() : CodeSystem.OTHER.name());
            b.text("code", hasNdc ? ndc : text(t, "drug", r));
            b.text("description", text(t, "drug", r));
            b.endRow();
        }
        return b.build();
    }
}
