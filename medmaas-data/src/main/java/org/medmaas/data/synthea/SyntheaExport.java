package org.medmaas.data.synthea;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.Table;
import org.medmaas.data.csv.DeclaredCsv;

/**
 * Reads a Synthea CSV export (patients, encounters, conditions, observations, medications,
 * allergies, procedures) into tables. Column types are declared rather than inferred where
 * inference would mislead: SNOMED/LOINC/RxNorm codes are categories, not numbers; observation
 * values mix numbers and text; names, addresses, document numbers, ZIP codes and coordinates are
 * identifiers (HIPAA Safe Harbor items), even in synthetic data, so the same code paths protect
 * real exports.
 */
public final class SyntheaExport {

    /** The tables read, in this order. */
    public static final List<String> TABLES = List.of("patients", "encounters", "conditions", "observations",
            "medications", "allergies", "procedures");

    private static final Map<String, ColumnType> DECLARED = declared();

    private static Map<String, ColumnType> declared() {
        Map<String, ColumnType> m = new LinkedHashMap<>();
        for (String id : List.of("Id", "PATIENT", "ENCOUNTER", "ORGANIZATION", "PROVIDER", "PAYER", "SSN", "DRIVERS",
                "PASSPORT", "FIRST", "MIDDLE", "LAST", "MAIDEN", "PREFIX", "SUFFIX", "ADDRESS", "BIRTHPLACE", "ZIP",
                "LAT", "LON", "FIPS")) {
            m.put(id, ColumnType.IDENTIFIER);
        }
        for (String code : List.of("CODE", "REASONCODE", "SYSTEM", "ENCOUNTERCLASS", "CATEGORY", "TYPE", "UNITS",
                "GENDER", "RACE", "ETHNICITY", "MARITAL", "STATE", "COUNTY", "CITY", "REACTION1", "REACTION2",
                "SEVERITY1", "SEVERITY2")) {
            m.put(code, ColumnType.CATEGORICAL);
        }
        for (String text : List.of("DESCRIPTION", "REASONDESCRIPTION", "VALUE", "DESCRIPTION1", "DESCRIPTION2")) {
            m.put(text, ColumnType.TEXT);
        }
        for (String when : List.of("BIRTHDATE", "DEATHDATE", "START", "STOP", "DATE")) {
            m.put(when, ColumnType.DATETIME);
        }
        return Map.copyOf(m);
    }

    private SyntheaExport() {
    }

    /** Reads every table present; patients.csv is required. */
    public static Map<String, Table> read(Path csvDir) {
        if (!Files.isDirectory(csvDir)) {
            throw MedmaasException.notFound(csvDir + " is not a folder. Give the csv/ folder of a Synthea export"
                    + " (or the folder holding it).");
        }
        Path dir = Files.isDirectory(csvDir.resolve("csv")) ? csvDir.resolve("csv") : csvDir;
        if (!Files.exists(dir.resolve("patients.csv"))) {
            throw MedmaasException.notFound(dir + " has no patients.csv; it is not a Synthea CSV export.");
        }
        Map<String, Table> out = new LinkedHashMap<>();
        for (String name : TABLES) {
            Path file = dir.resolve(name + ".csv");
            if (Files.exists(file)) {
                out.put(name, readTable(file));
            }
        }
        return out;
    }

    /** Reads one Synthea CSV file with the declared types of the columns it has. */
    public static Table readTable(Path file) {
        return DeclaredCsv.read(file, DECLARED);
    }
}
