package org.medmaas.data.cohort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.medmaas.core.table.Table;
import org.medmaas.core.table.TableBuilder;
import org.medmaas.data.clinical.ClinicalRecords;

/** A hand-written cohort of four patients whose every feature is known in advance. */
class CohortBuilderTest {

    static long at(String date) {
        return LocalDate.parse(date).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    static ClinicalRecords fixture() {
        TableBuilder patients = ClinicalRecords.builder("patients");
        addPatient(patients, "p1", "1970-06-01", null, "female");   // positive: T2D in 2021
        addPatient(patients, "p2", "1980-01-01", null, "male");     // negative
        addPatient(patients, "p3", "1960-01-01", "2019-05-01", "male"); // died before index
        addPatient(patients, "p4", "1965-01-01", null, "female");   // prevalent T2D: excluded
        TableBuilder encounters = ClinicalRecords.builder("encounters");
        for (String p : new String[] {"p1", "p2", "p4"}) {
            encounters.text("encounter_id", "e-" + p).text("patient_id", p).instant("start", at("2019-03-01"), true)
                    .text("class", "ambulatory");
            encounters.endRow();
        }
        TableBuilder conditions = ClinicalRecords.builder("conditions");
        addCondition(conditions, "p1", "2018-01-01", "SNOMED", "15777000");  // prediabetes history
        addCondition(conditions, "p1", "2021-07-01", "ICD10", "E11.9");      // target, as ICD-10 with a dot
        addCondition(conditions, "p2", "2026-01-01", "SNOMED", "44054006");  // after the window
        addCondition(conditions, "p4", "2015-01-01", "SNOMED", "44054006");  // before the index
        TableBuilder observations = ClinicalRecords.builder("observations");
        addObservation(observations, "p1", "2018-01-01", 30.0);
        addObservation(observations, "p1", "2019-01-01", 32.0);
        addObservation(observations, "p1", "2016-01-01", 99.0);              // outside the look-back window
        addObservation(observations, "p2", "2019-06-01", 24.0);
        TableBuilder medications = ClinicalRecords.builder("medications");
        medications.text("patient_id", "p2").instant("start", at("2010-01-01"), true).text("system", "RXNORM")
                .text("code", "314076");
        medications.endRow();
        return new ClinicalRecords(patients.build(), encounters.build(), conditions.build(), observations.build(),
                medications.build(), ClinicalRecords.builder("allergies").build(),
                ClinicalRecords.builder("procedures").build());
    }

    private static void addPatient(TableBuilder b, String id, String birth, String death, String sex) {
        b.text("patient_id", id).instant("birth_date", at(birth), true).text("sex", sex);
        if (death != null) {
            b.instant("death_date", at(death), true);
        }
        b.endRow();
    }

    private static void addCondition(TableBuilder b, String patient, String onset, String system, String code) {
        b.text("patient_id", patient).instant("onset", at(onset), true).text("system", system).text("code", code);
        b.endRow();
    }

    private static void addObservation(TableBuilder b, String patient, String time, double bmi) {
        b.text("patient_id", patient).instant("time", at(time), true).text("system", "LOINC").text("code", "39156-5")
                .number("value", bmi);
        b.endRow();
    }

    static final String SPEC = """
            name: t2d
            index_date: 2020-01-01
            lookback_days: 1095
            prediction_window_days: 1825
            min_age: 18
            observations:
              - name: bmi
                codes: [{system: LOINC, codes: ["39156-5"]}]
                aggregations: [latest, mean, min, max, count, slope]
            conditions:
              - name: prediabetes
                codes: [{system: SNOMED, codes: ["15777000"]}]
            medications:
              - name: ace_inhibitor
                codes: [{system: RxNorm, codes: ["314076"]}]
            target:
              name: t2d_5y
              codes:
                - {system: SNOMED, codes: ["44054006"]}
                - {system: ICD10, codes: ["E11*"]}
            """;

    @Test
    void buildsOneRowPerEligiblePatientWithKnownFeatures() {
        CohortBuilder.Result result = new CohortBuilder().build(fixture(), CohortSpec.parse(SPEC, "test"));
        Table t = result.table();
        assertThat(t.rowCount()).isEqualTo(2);
        assertThat(t.column("patient_id").format(0)).isEqualTo("p1");
        assertThat(t.numeric("age").get(0)).isCloseTo(49.58, within(0.01));
        assertThat(t.numeric("bmi_latest").get(0)).isEqualTo(32.0);
        assertThat(t.numeric("bmi_mean").get(0)).isEqualTo(31.0);
        assertThat(t.numeric("bmi_min").get(0)).isEqualTo(30.0);
        assertThat(t.numeric("bmi_count").get(0)).isEqualTo(2.0);
        assertThat(t.numeric("bmi_slope").get(0)).isCloseTo(2.0, within(0.01));
        assertThat(t.numeric("bmi_slope").isMissing(1)).isTrue();
        assertThat(t.bool("prediabetes").get(0)).isTrue();
        assertThat(t.bool("ace_inhibitor").get(1)).isTrue();  // started 2010, never stopped: running at index
        assertThat(t.bool("t2d_5y").get(0)).isTrue();
        assertThat(t.bool("t2d_5y").get(1)).isFalse();
        assertThat(result.summary().excluded()).containsEntry("died before the index date", 1)
                .containsEntry("target condition before the index date", 1);
        assertThat(result.summary().positives()).isEqualTo(1);
    }

    @Test
    void perEncounterUnitIndexesEachEncounter() {
        String spec = SPEC.replace("index_date: 2020-01-01", "unit: encounter").replace("min_age: 18", "min_age: 18\nexclude_prior_target: false");
        Table t = new CohortBuilder().build(fixture(), CohortSpec.parse(spec, "test")).table();
        assertThat(t.schema().names()).startsWith("patient_id", "encounter_id", "age");
        assertThat(t.rowCount()).isEqualTo(3);
    }

    @Test
    void targetWindowCanReachBackForADiagnosisQuestion() {
        String spec = SPEC.replace("min_age: 18", "min_age: 18\nexclude_prior_target: false\ntarget_window_start_days: -36500");
        Table t = new CohortBuilder().build(fixture(), CohortSpec.parse(spec, "test")).table();
        assertThat(t.rowCount()).isEqualTo(3);                       // p4, with T2D since 2015, now included
        assertThat(t.column("patient_id").format(2)).isEqualTo("p4");
        assertThat(t.bool("t2d_5y").get(2)).isTrue();
    }

    @Test
    void specErrorsNameTheField() {
        assertThatThrownBy(() -> CohortSpec.parse(SPEC.replace("lookback_days", "lookback"), "s.yaml"))
                .hasMessageContaining("unknown field 'lookback'");
        assertThatThrownBy(() -> CohortSpec.parse(SPEC.replace("system: LOINC", "system: LONIC"), "s.yaml"))
                .hasMessageContaining("Unknown code system 'LONIC'");
        assertThatThrownBy(() -> CohortSpec.parse(SPEC.replace("aggregations: [latest,", "aggregations: [median,"), "s.yaml"))
                .hasMessageContaining("unknown aggregation 'median'");
        assertThatThrownBy(() -> CohortSpec.parse(SPEC.replace("index_date: 2020-01-01\n", ""), "s.yaml"))
                .hasMessageContaining("'index_date'");
        assertThatThrownBy(() -> new CohortBuilder().build(fixture(),
                CohortSpec.parse(SPEC.replace("2020-01-01", "1900-01-01"), "s.yaml")))
                .hasMessageContaining("is empty").hasMessageContaining("born after the index date");
    }

    @Test
    void builtInSpecsParseAndResolveByName() {
        assertThat(CohortSpec.BUILT_IN).allSatisfy(name -> assertThat(CohortSpec.resolve(name).target()).isNotNull());
        assertThat(CohortSpec.resolve("type2-diabetes.yaml").name()).isEqualTo("type2_diabetes");
        assertThatThrownBy(() -> CohortSpec.resolve("asthma")).hasMessageContaining("not a built-in spec")
                .hasMessageContaining("hypertension");
    }
}
