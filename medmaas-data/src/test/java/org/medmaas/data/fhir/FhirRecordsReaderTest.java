package org.medmaas.data.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmaas.core.table.Table;
import org.medmaas.data.clinical.ClinicalRecords;

class FhirRecordsReaderTest {

    static FhirRecordsReader skipping;

    @BeforeAll
    static void context() {
        skipping = new FhirRecordsReader(FhirRecordsReader.InvalidResourcePolicy.SKIP);
    }

    static final String BUNDLE = """
            {"resourceType": "Bundle", "type": "collection", "entry": [
              {"fullUrl": "urn:uuid:pat-1", "resource": {"resourceType": "Patient", "id": "pat-1",
                "name": [{"family": "Doe", "given": ["Jane"]}], "gender": "female", "birthDate": "1970-06-01"}},
              {"resource": {"resourceType": "Encounter", "id": "enc-1", "status": "finished",
                "class": {"code": "AMB"}, "subject": {"reference": "urn:uuid:pat-1"},
                "period": {"start": "2019-03-01T10:00:00Z", "end": "2019-03-01T10:30:00Z"}}},
              {"resource": {"resourceType": "Observation", "id": "obs-bp", "status": "final",
                "code": {"coding": [{"system": "http://loinc.org", "code": "85354-9"}]},
                "subject": {"reference": "Patient/pat-1"}, "encounter": {"reference": "urn:uuid:enc-1"},
                "effectiveDateTime": "2019-03-01T10:05:00Z",
                "component": [
                  {"code": {"coding": [{"system": "http://loinc.org", "code": "8480-6"}]},
                   "valueQuantity": {"value": 128, "unit": "mm[Hg]", "code": "mm[Hg]"}},
                  {"code": {"coding": [{"system": "http://loinc.org", "code": "8462-4"}]},
                   "valueQuantity": {"value": 82, "unit": "mm[Hg]", "code": "mm[Hg]"}}]}},
              {"resource": {"resourceType": "Condition", "id": "cond-1",
                "code": {"coding": [{"system": "http://snomed.info/sct", "code": "44054006"},
                                    {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "E11.9"}]},
                "subject": {"reference": "urn:uuid:pat-1"}, "onsetDateTime": "2021-07-01"}},
              {"resource": {"resourceType": "MedicationRequest", "id": "med-1", "status": "active", "intent": "order",
                "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm", "code": "860975"}]},
                "subject": {"reference": "urn:uuid:pat-1"}, "authoredOn": "2021-08-01T09:00:00Z"}},
              {"resource": {"resourceType": "Observation", "id": "obs-bad", "status": "not-a-status",
                "code": {"coding": [{"system": "http://loinc.org", "code": "2339-0"}]},
                "subject": {"reference": "urn:uuid:pat-1"}, "valueQuantity": {"value": 123}}},
              {"resource": {"resourceType": "Condition", "id": "cond-orphan",
                "code": {"coding": [{"system": "http://snomed.info/sct", "code": "59621000"}]}}},
              {"resource": {"resourceType": "Organization", "id": "org-1", "name": "General"}}
            ]}
            """;

    @Test
    void readsABundleIntoCanonicalTablesAndReportsInvalidResources(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bundle.json");
        Files.writeString(file, BUNDLE);
        FhirRecordsReader.Result result = skipping.read(file);
        ClinicalRecords r = result.records();
        assertThat(r.patients().rowCount()).isEqualTo(1);
        assertThat(r.patients().column("sex").format(0)).isEqualTo("female");
        assertThat(r.patients().schema().names()).doesNotContain("name");
        Table obs = r.observations();
        assertThat(obs.rowCount()).isEqualTo(2);
        assertThat(obs.column("code").format(0)).isEqualTo("8480-6");
        assertThat(obs.numeric("value").get(0)).isEqualTo(128.0);
        assertThat(obs.column("encounter_id").format(1)).isEqualTo("enc-1");
        assertThat(r.conditions().rowCount()).isEqualTo(2);     // one per coding: SNOMED and ICD-10
        assertThat(r.conditions().column("system").format(1)).isEqualTo("ICD10");
        assertThat(r.medications().column("code").format(0)).isEqualTo("860975");
        assertThat(result.report().resourcesIgnored()).isEqualTo(1);
        assertThat(result.report().issues()).extracting(FhirIssue::resourceId).containsExactly("obs-bad", "cond-orphan");
        assertThat(result.report().issues().get(0).location()).isEqualTo("Bundle.entry[5]");
        assertThat(result.report().issues().get(0).problem()).doesNotContain("not-a-status");
        assertThat(result.report().issues().get(1).problem()).contains("Condition.subject");
    }

    @Test
    void rejectPolicyStopsAtTheFirstInvalidResource(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bundle.json");
        Files.writeString(file, BUNDLE);
        assertThatThrownBy(() -> new FhirRecordsReader(FhirRecordsReader.InvalidResourcePolicy.REJECT).read(file))
                .hasMessageContaining("Bundle.entry[5]").hasMessageContaining("Observation/obs-bad")
                .hasMessageNotContaining("not-a-status");
    }

    @Test
    void readsNdjsonAndDirectories(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Patient.ndjson"), """
                {"resourceType": "Patient", "id": "a", "gender": "male", "birthDate": "1950-01-01"}
                {"resourceType": "Patient", "id": "b", "gender": "female", "birthDate": "1960-01-01"}
                not json
                """);
        Files.writeString(dir.resolve("obs.json"), """
                {"resourceType": "Observation", "id": "o", "status": "final",
                 "code": {"coding": [{"system": "http://loinc.org", "code": "39156-5"}]},
                 "subject": {"reference": "Patient/a"}, "valueQuantity": {"value": 31.2, "unit": "kg/m2"}}
                """);
        FhirRecordsReader.Result result = skipping.read(dir);
        assertThat(result.records().patients().rowCount()).isEqualTo(2);
        assertThat(result.records().observations().numeric("value").get(0)).isEqualTo(31.2);
        assertThat(result.report().files()).isEqualTo(2);
        assertThat(result.report().issues()).singleElement().satisfies(i -> {
            assertThat(i.location()).isEqualTo("line 3");
            assertThat(i.problem()).isEqualTo("not valid JSON");
        });
    }
}
