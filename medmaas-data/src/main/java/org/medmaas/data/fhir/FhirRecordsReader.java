package org.medmaas.data.fhir;

import org.medmaas.core.json.Json;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.TableBuilder;
import org.medmaas.data.clinical.ClinicalRecords;
import org.medmaas.data.clinical.CodeSystem;

/**
 * Reads HL7 FHIR R4 JSON (Bundles, single resources, NDJSON; a file or a directory of them) into
 * {@link ClinicalRecords} with HAPI FHIR. Patient, Encounter, Observation (with components, e.g.
 * the blood-pressure panel), Condition, MedicationRequest, MedicationStatement,
 * AllergyIntolerance and Procedure are used; other resource types are counted and ignored.
 *
 * <p>Each resource is parsed on its own with HAPI's strict error handler, so one bad resource is
 * reported with its file, location, type and id, and then skipped or rejected as the
 * {@link InvalidResourcePolicy} says. Resources without a patient reference are reported too.
 * One instance holds one {@link FhirContext} (expensive to create; thread-safe); build it once.
 */
public final class FhirRecordsReader {

    /** What to do with a resource that cannot be parsed or used. */
    public enum InvalidResourcePolicy { SKIP, REJECT }

    /** What a read found besides the records. */
    public record Report(int files, int resourcesRead, int resourcesIgnored, List<FhirIssue> issues) {
        public Report {
            issues = List.copyOf(issues);
        }
    }

    public record Result(ClinicalRecords records, Report report) {
    }


    private final FhirContext context = FhirContext.forR4();
    private final InvalidResourcePolicy policy;

    public FhirRecordsReader(InvalidResourcePolicy policy) {
        this.policy = policy;
        // Touch the context once: HAPI scans its model lazily, and the first parse pays ~2 s.
        parser().parseResource(Patient.class, "{\"resourceType\":\"Patient\",\"id\":\"warm-up\"}");
    }

    private IParser parser() {
        return context.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
    }

    public Result read(Path path) {
        List<Path> files = files(path);
        Sink sink = new Sink();
        for (Path file : files) {
            readFile(file, sink);
        }
        return new Result(sink.records(), new Report(files.size(), sink.read, sink.ignored, sink.issues));
    }

    private static List<Path> files(Path path) {
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw MedmaasException.notFound("FHIR source " + path + " does not exist.");
        }
        try (Stream<Path> walk = Files.walk(path)) {
            List<Path> out = walk.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".json") || n.endsWith(".ndjson");
            }).sorted().toList();
            if (out.isEmpty()) {
                throw MedmaasException.notFound(path + " holds no .json or .ndjson files.");
            }
            return out;
        } catch (IOException e) {
            throw MedmaasException.io("Could not list " + path + ": " + e.getMessage(), e);
        }
    }

    private void readFile(Path file, Sink sink) {
        String name = file.getFileName().toString();
        try {
            if (name.toLowerCase(Locale.ROOT).endsWith(".ndjson")) {
                try (BufferedReader lines = Files.newBufferedReader(file)) {
                    String line;
                    int number = 0;
                    while ((line = lines.readLine()) != null) {
                        number++;
                        if (!line.isBlank()) {
                            readResource(parseTree(line, file, "line " + number, sink), file, "line " + number, sink);
                        }
                    }
                }
                return;
            }
            JsonNode root = parseTree(Files.readString(file), file, "document", sink);
            if (root == null) {
                return;
            }
            if ("Bundle".equals(root.path("resourceType").asText())) {
                JsonNode entries = root.path("entry");
                if (!entries.isMissingNode() && !entries.isArray()) {
                    // An object or a value where the entries' array belongs (found by fuzzing:
                    // ReadersFuzzTestInputs/fhirBundle keeps the input): not a Bundle we can read.
                    issue(sink, new FhirIssue(file.toString(), "Bundle.entry", "Bundle", root.path("id").asText(""),
                            "must be an array of entries"));
                    return;
                }
                sink.medicationCodes.clear();
                for (int i = 0; i < entries.size(); i++) {
                    rememberMedication(entries.get(i), sink);
                }
                for (int i = 0; i < entries.size(); i++) {
                    JsonNode resource = entries.get(i).path("resource");
                    if (!resource.isMissingNode()) {
                        readResource(resource, file, "Bundle.entry[" + i + "]", sink);
                    }
                }
            } else {
                readResource(root, file, "document", sink);
            }
        } catch (IOException e) {
            throw MedmaasException.io("Could not read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Medication requests often point to a Medication resource elsewhere in the bundle instead of
     * coding the drug inline (Synthea does this for some drugs); remember those codes by the
     * references that can point to them.
     */
    private void rememberMedication(JsonNode entry, Sink sink) {
        JsonNode resource = entry.path("resource");
        if (!"Medication".equals(resource.path("resourceType").asText())) {
            return;
        }
        try {
            org.hl7.fhir.r4.model.Medication medication =
                    parser().parseResource(org.hl7.fhir.r4.model.Medication.class, resource.toString());
            if (medication.hasCode()) {
                String id = resource.path("id").asText("");
                String fullUrl = entry.path("fullUrl").asText("");
                if (!fullUrl.isEmpty()) {
                    sink.medicationCodes.put(fullUrl, medication.getCode());
                }
                if (!id.isEmpty()) {
                    sink.medicationCodes.put("Medication/" + id, medication.getCode());
                }
            }
        } catch (RuntimeException e) {
            // DataFormatException, or another exception HAPI's parser throws on malformed input
            // (see readResource). The referring request is then reported as having no medication code.
        }
    }

    private JsonNode parseTree(String json, Path file, String location, Sink sink) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            issue(sink, new FhirIssue(file.toString(), location, "?", "", "not valid JSON"));
            return null;
        }
    }

    private void readResource(JsonNode node, Path file, String location, Sink sink) {
        if (node == null) {
            return;
        }
        String type = node.path("resourceType").asText("?");
        String id = node.path("id").asText("");
        if (!Sink.USED.contains(type)) {
            sink.ignored++;
            return;
        }
        Resource resource;
        try {
            resource = (Resource) parser().parseResource(node.toString());
        } catch (DataFormatException e) {
            issue(sink, new FhirIssue(file.toString(), location, type, id, withoutQuotedContent(e.getMessage())));
            return;
        } catch (RuntimeException e) {
            // HAPI's parser fails on some malformed input with an exception of its own rather than
            // DataFormatException (an empty property name: StringIndexOutOfBoundsException, found by
            // fuzzing; ReadersFuzzTestInputs/fhirBundle keeps the input). The resource is invalid.
            issue(sink, new FhirIssue(file.toString(), location, type, id, "not a valid FHIR R4 resource (the parser failed: "
                    + e.getClass().getSimpleName() + ")"));
            return;
        }
        sink.read++;
        String problem = sink.add(resource);
        if (problem != null) {
            issue(sink, new FhirIssue(file.toString(), location, type, id, problem));
        }
    }

    private void issue(Sink sink, FhirIssue issue) {
        if (policy == InvalidResourcePolicy.REJECT) {
            throw MedmaasException.invalid("Invalid FHIR resource: " + issue
                    + ". Fix it, or read with the skip policy (--invalid skip) to leave such resources out.");
        }
        sink.issues.add(issue);
    }

    /** HAPI quotes offending values in its messages; patient values must not leak into reports. */
    static String withoutQuotedContent(String message) {
        if (message == null) {
            return "invalid resource";
        }
        String m = message.replaceAll("\"[^\"]*\"", "\"…\"").replaceAll("'[^']*'", "'…'");
        int hapiPrefix = m.indexOf("HAPI-");
        if (hapiPrefix >= 0) {
            int colon = m.indexOf(':', hapiPrefix);
            m = colon > 0 ? m.substring(colon + 1).trim() : m;
        }
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }

    /** Accumulates canonical rows. */
    private static final class Sink {
        static final java.util.Set<String> USED = java.util.Set.of("Patient", "Encounter", "Observation", "Condition",
                "MedicationRequest", "MedicationStatement", "AllergyIntolerance", "Procedure");

        final TableBuilder patients = ClinicalRecords.builder("patients");
        final TableBuilder encounters = ClinicalRecords.builder("encounters");
        final TableBuilder conditions = ClinicalRecords.builder("conditions");
        final TableBuilder observations = ClinicalRecords.builder("observations");
        final TableBuilder medications = ClinicalRecords.builder("medications");
        final TableBuilder allergies = ClinicalRecords.builder("allergies");
        final TableBuilder procedures = ClinicalRecords.builder("procedures");
        final List<FhirIssue> issues = new ArrayList<>();
        final java.util.Map<String, CodeableConcept> medicationCodes = new java.util.HashMap<>();
        int read;
        int ignored;

        ClinicalRecords records() {
            return new ClinicalRecords(patients.build(), encounters.build(), conditions.build(), observations.build(),
                    medications.build(), allergies.build(), procedures.build());
        }

        /** Adds a resource's rows; returns a problem description when it cannot be used. */
        String add(Resource r) {
            return switch (r) {
                case Patient p -> patient(p);
                case Encounter e -> encounter(e);
                case Condition c -> condition(c);
                case Observation o -> observation(o);
                case MedicationRequest m -> medication(m.getSubject(), m.getEncounter(), m.getAuthoredOn(), null,
                        m.hasMedicationCodeableConcept() ? m.getMedicationCodeableConcept()
                                : m.hasMedicationReference() ? referencedMedication(m.getMedicationReference()) : null,
                        "MedicationRequest");
                case MedicationStatement m -> medication(m.getSubject(), m.getContext(),
                        m.hasEffectivePeriod() ? m.getEffectivePeriod().getStart()
                                : m.hasEffectiveDateTimeType() ? m.getEffectiveDateTimeType().getValue() : null,
                        m.hasEffectivePeriod() ? m.getEffectivePeriod().getEnd() : null,
                        m.hasMedicationCodeableConcept() ? m.getMedicationCodeableConcept() : null, "MedicationStatement");
                case AllergyIntolerance a -> allergy(a);
                case Procedure p -> procedure(p);
                default -> null;
            };
        }

        /** A Medication's code, contained in the resource or elsewhere in the bundle; null if unknown. */
        private CodeableConcept referencedMedication(Reference reference) {
            if (reference.getResource() instanceof org.hl7.fhir.r4.model.Medication contained && contained.hasCode()) {
                return contained.getCode();
            }
            return reference.hasReference() ? medicationCodes.get(reference.getReference()) : null;
        }

        private String patient(Patient p) {
            if (!p.hasIdElement() || p.getIdElement().getIdPart() == null) {
                return "Patient.id is missing";
            }
            patients.text("patient_id", p.getIdElement().getIdPart());
            if (p.hasBirthDate()) {
                instant(patients, "birth_date", p.getBirthDateElement());
            }
            if (p.hasDeceasedDateTimeType()) {
                instant(patients, "death_date", p.getDeceasedDateTimeType());
            }
            if (p.hasGender()) {
                patients.text("sex", p.getGender().toCode());
            }
            patients.text("race", extensionText(p, "us-core-race"));
            patients.text("ethnicity", extensionText(p, "us-core-ethnicity"));
            patients.endRow();
            return null;
        }

        private static String extensionText(Patient p, String urlPart) {
            for (Extension e : p.getExtension()) {
                if (e.getUrl() != null && e.getUrl().contains(urlPart)) {
                    for (Extension inner : e.getExtension()) {
                        if ("text".equals(inner.getUrl()) && inner.getValue() != null) {
                            return inner.getValue().primitiveValue();
                        }
                    }
                }
            }
            return null;
        }

        private String encounter(Encounter e) {
            String patient = reference(e.getSubject());
            if (patient == null) {
                return "Encounter.subject does not reference a patient";
            }
            encounters.text("encounter_id", e.getIdElement().getIdPart());
            encounters.text("patient_id", patient);
            if (e.hasPeriod()) {
                if (e.getPeriod().hasStart()) {
                    instant(encounters, "start", e.getPeriod().getStartElement());
                }
                if (e.getPeriod().hasEnd()) {
                    instant(encounters, "stop", e.getPeriod().getEndElement());
                }
            }
            if (e.hasClass_()) {
                encounters.text("class", e.getClass_().getCode());
            }
            Coding type = e.getTypeFirstRep().getCodingFirstRep();
            if (type.hasCode()) {
                encounters.text("system", CodeSystem.fromFhirUri(type.getSystem()).name());
                encounters.text("code", type.getCode());
                encounters.text("description", type.getDisplay());
            }
            encounters.endRow();
            return null;
        }

        private String condition(Condition c) {
            String patient = reference(c.getSubject());
            if (patient == null) {
                return "Condition.subject does not reference a patient";
            }
            if (!c.hasCode() || c.getCode().getCoding().isEmpty()) {
                return "Condition.code has no coding";
            }
            BaseDateTimeType onset = c.hasOnsetDateTimeType() ? c.getOnsetDateTimeType()
                    : c.hasRecordedDate() ? c.getRecordedDateElement() : null;
            for (Coding coding : c.getCode().getCoding()) {
                conditions.text("patient_id", patient);
                conditions.text("encounter_id", reference(c.getEncounter()));
                if (onset != null) {
                    instant(conditions, "onset", onset);
                }
                if (c.hasAbatementDateTimeType()) {
                    instant(conditions, "abatement", c.getAbatementDateTimeType());
                }
                coding(conditions, coding);
                conditions.endRow();
            }
            return null;
        }

        private String observation(Observation o) {
            String patient = reference(o.getSubject());
            if (patient == null) {
                return "Observation.subject does not reference a patient";
            }
            if (!o.hasCode() || o.getCode().getCoding().isEmpty()) {
                return "Observation.code has no coding";
            }
            BaseDateTimeType when = o.hasEffectiveDateTimeType() ? o.getEffectiveDateTimeType()
                    : o.hasEffectivePeriod() && o.getEffectivePeriod().hasStart() ? o.getEffectivePeriod().getStartElement()
                    : o.hasIssued() ? o.getIssuedElement() : null;
            String encounter = reference(o.getEncounter());
            if (o.hasValue() || o.getComponent().isEmpty()) {
                observationRow(patient, encounter, when, o.getCode(), o.hasValue() ? o.getValue() : null);
            }
            for (Observation.ObservationComponentComponent component : o.getComponent()) {
                observationRow(patient, encounter, when, component.getCode(), component.hasValue() ? component.getValue() : null);
            }
            return null;
        }

        private void observationRow(String patient, String encounter, BaseDateTimeType when, CodeableConcept code,
                org.hl7.fhir.r4.model.Type value) {
            Coding coding = code.getCoding().stream().filter(c -> CodeSystem.fromFhirUri(c.getSystem()) == CodeSystem.LOINC)
                    .findFirst().orElse(code.getCodingFirstRep());
            observations.text("patient_id", patient);
            observations.text("encounter_id", encounter);
            if (when != null) {
                instant(observations, "time", when);
            }
            coding(observations, coding);
            if (value instanceof Quantity q && q.hasValue()) {
                observations.number("value", q.getValue().doubleValue());
                observations.text("unit", q.hasCode() ? q.getCode() : q.getUnit());
            } else if (value instanceof CodeableConcept cc) {
                observations.text("value_text", cc.hasText() ? cc.getText() : cc.getCodingFirstRep().getDisplay());
            } else if (value != null && value.isPrimitive()) {
                observations.text("value_text", value.primitiveValue());
            }
            observations.endRow();
        }

        private String medication(Reference subject, Reference encounter, Date start, Date stop, CodeableConcept code,
                String type) {
            String patient = reference(subject);
            if (patient == null) {
                return type + ".subject does not reference a patient";
            }
            if (code == null || code.getCoding().isEmpty()) {
                return type + " names no coded medication (neither medicationCodeableConcept nor a resolvable"
                        + " medicationReference)";
            }
            for (Coding coding : code.getCoding()) {
                medications.text("patient_id", patient);
                medications.text("encounter_id", reference(encounter));
                if (start != null) {
                    medications.instant("start", start.getTime(), false);
                }
                if (stop != null) {
                    medications.instant("stop", stop.getTime(), false);
                }
                coding(medications, coding);
                medications.endRow();
            }
            return null;
        }

        private String allergy(AllergyIntolerance a) {
            String patient = reference(a.getPatient());
            if (patient == null) {
                return "AllergyIntolerance.patient does not reference a patient";
            }
            for (Coding coding : a.getCode().getCoding()) {
                allergies.text("patient_id", patient);
                allergies.text("encounter_id", reference(a.getEncounter()));
                if (a.hasOnsetDateTimeType()) {
                    instant(allergies, "onset", a.getOnsetDateTimeType());
                } else if (a.hasRecordedDate()) {
                    instant(allergies, "onset", a.getRecordedDateElement());
                }
                coding(allergies, coding);
                allergies.endRow();
            }
            return null;
        }

        private String procedure(Procedure p) {
            String patient = reference(p.getSubject());
            if (patient == null) {
                return "Procedure.subject does not reference a patient";
            }
            BaseDateTimeType when = p.hasPerformedDateTimeType() ? p.getPerformedDateTimeType()
                    : p.hasPerformedPeriod() && p.getPerformedPeriod().hasStart() ? p.getPerformedPeriod().getStartElement() : null;
            for (Coding coding : p.getCode().getCoding()) {
                procedures.text("patient_id", patient);
                procedures.text("encounter_id", reference(p.getEncounter()));
                if (when != null) {
                    instant(procedures, "time", when);
                }
                coding(procedures, coding);
                procedures.endRow();
            }
            return null;
        }

        private static void coding(TableBuilder b, Coding coding) {
            b.text("system", CodeSystem.fromFhirUri(coding.getSystem()).name());
            b.text("code", coding.getCode());
            b.text("description", coding.getDisplay());
        }

        private static void instant(TableBuilder b, String column, BaseDateTimeType value) {
            if (value != null && value.getValue() != null) {
                boolean dateOnly = value.getPrecision().ordinal() <= ca.uhn.fhir.model.api.TemporalPrecisionEnum.DAY.ordinal();
                b.instant(column, dateOnly ? value.getValue().toInstant().atZone(java.time.ZoneOffset.UTC).toLocalDate()
                        .atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toEpochMilli() : value.getValue().getTime(),
                        dateOnly);
            }
        }

        /** The id part of a reference ({@code Patient/123}, {@code urn:uuid:abc}), or null. */
        private static String reference(Reference ref) {
            if (ref == null || !ref.hasReference()) {
                return null;
            }
            String r = ref.getReference();
            if (r.startsWith("urn:uuid:")) {
                return r.substring("urn:uuid:".length());
            }
            int slash = r.lastIndexOf('/');
            return slash >= 0 ? r.substring(slash + 1) : r;
        }
    }
}
