package org.medmaas.data.clinical;

import java.util.Locale;
import java.util.Optional;

/** The coding systems MedMaaS recognizes, with the names used in canonical tables and cohort specs. */
public enum CodeSystem {
    SNOMED("http://snomed.info/sct"),
    ICD10("http://hl7.org/fhir/sid/icd-10-cm"),
    ICD9("http://hl7.org/fhir/sid/icd-9-cm"),
    LOINC("http://loinc.org"),
    RXNORM("http://www.nlm.nih.gov/research/umls/rxnorm"),
    NDC("http://hl7.org/fhir/sid/ndc"),
    CVX("http://hl7.org/fhir/sid/cvx"),
    OTHER("");

    private final String fhirUri;

    CodeSystem(String fhirUri) {
        this.fhirUri = fhirUri;
    }

    public String fhirUri() {
        return fhirUri;
    }

    /** The system of a FHIR coding's URI (ICD-10 variants included), or OTHER. */
    public static CodeSystem fromFhirUri(String uri) {
        if (uri == null) {
            return OTHER;
        }
        String u = uri.toLowerCase(Locale.ROOT);
        if (u.contains("snomed")) {
            return SNOMED;
        }
        if (u.contains("icd-10") || u.contains("icd10")) {
            return ICD10;
        }
        if (u.contains("icd-9") || u.contains("icd9")) {
            return ICD9;
        }
        if (u.contains("loinc")) {
            return LOINC;
        }
        if (u.contains("rxnorm")) {
            return RXNORM;
        }
        if (u.contains("ndc")) {
            return NDC;
        }
        if (u.contains("cvx")) {
            return CVX;
        }
        return OTHER;
    }

    /**
     * The canonical administrative sex: FHIR's codes (female, male, other, unknown), to which
     * Synthea's and MIMIC's F and M are mapped, so cohorts from any source encode sex alike.
     */
    public static String canonicalSex(String value) {
        if (value == null) {
            return null;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "f", "female", "w" -> "female";
            case "m", "male" -> "male";
            case "o", "other" -> "other";
            case "", "u", "unknown" -> "unknown";
            default -> value.trim().toLowerCase(Locale.ROOT);
        };
    }

    /** Parses a name from a spec (case-insensitive; "ICD-10", "ICD10CM" and the like accepted). */
    public static Optional<CodeSystem> parse(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
        return switch (n) {
            case "SNOMED", "SNOMEDCT", "SCT" -> Optional.of(SNOMED);
            case "ICD10", "ICD10CM" -> Optional.of(ICD10);
            case "ICD9", "ICD9CM" -> Optional.of(ICD9);
            case "LOINC" -> Optional.of(LOINC);
            case "RXNORM" -> Optional.of(RXNORM);
            case "NDC" -> Optional.of(NDC);
            case "CVX" -> Optional.of(CVX);
            case "OTHER" -> Optional.of(OTHER);
            default -> Optional.empty();
        };
    }
}
