package org.medmaas.data.cohort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.medmaas.data.cohort.CohortBuilderTest.at;

import org.junit.jupiter.api.Test;
import org.medmaas.core.table.Table;
import org.medmaas.core.table.TableBuilder;
import org.medmaas.data.clinical.ClinicalRecords;

class VisitSequencesTest {

    /** The CohortBuilderTest fixture plus two more encounters of p1, one outside the look-back window. */
    static ClinicalRecords withHistory() {
        ClinicalRecords base = CohortBuilderTest.fixture();
        TableBuilder encounters = ClinicalRecords.builder("encounters");
        for (int r = 0; r < base.encounters().rowCount(); r++) {
            encounters.text("encounter_id", base.encounters().column("encounter_id").format(r))
                    .text("patient_id", base.encounters().column("patient_id").format(r))
                    .instant("start", base.encounters().dateTime("start").epochMillis(r), true).text("class", "ambulatory");
            encounters.endRow();
        }
        encounters.text("encounter_id", "e-p1-2018").text("patient_id", "p1").instant("start", at("2018-01-01"), true);
        encounters.endRow();
        encounters.text("encounter_id", "e-p1-2012").text("patient_id", "p1").instant("start", at("2012-01-01"), true);
        encounters.endRow();
        return new ClinicalRecords(base.patients(), encounters.build(), base.conditions(), base.observations(),
                base.medications(), base.allergies(), base.procedures());
    }

    @Test
    void listsEachPatientsEncountersInTheWindowOldestFirstWithWhatHappenedAtThem() {
        ClinicalRecords records = withHistory();
        CohortSpec spec = CohortSpec.parse(CohortBuilderTest.SPEC, "test");
        Table cohort = new CohortBuilder().build(records, spec).table();
        Table visits = VisitSequences.build(records, spec, cohort, 20);
        assertThat(visits.schema().names()).containsExactly("patient_id", "visit", "days_before_index", "age", "sex",
                "bmi", "prediabetes", "ace_inhibitor", "t2d_5y");
        assertThat(visits.rowCount()).isEqualTo(3);                  // p1: 2018 and 2019 (2012 is outside); p2: 2019
        assertThat(visits.column("patient_id").format(0)).isEqualTo("p1");
        assertThat(visits.numeric("visit").get(0)).isEqualTo(1.0);
        assertThat(visits.numeric("days_before_index").get(0)).isCloseTo(730, within(1.0));
        assertThat(visits.numeric("bmi").get(0)).isEqualTo(30.0);    // recorded on the 2018-01-01 visit's day
        assertThat(visits.numeric("prediabetes").get(0)).isEqualTo(1.0);
        assertThat(visits.numeric("visit").get(1)).isEqualTo(2.0);
        assertThat(visits.numeric("bmi").isMissing(1)).isTrue();     // nothing recorded on 2019-03-01
        assertThat(visits.numeric("prediabetes").get(1)).isZero();
        assertThat(visits.bool("t2d_5y").get(0)).isTrue();
        assertThat(visits.column("patient_id").format(2)).isEqualTo("p2");
        assertThat(visits.bool("t2d_5y").get(2)).isFalse();

        Table lastOnly = VisitSequences.build(records, spec, cohort, 1);
        assertThat(lastOnly.rowCount()).isEqualTo(2);
        assertThat(lastOnly.numeric("days_before_index").get(0)).isCloseTo(306, within(1.0));
    }

    @Test
    void encounterCohortsAndBadLimitsAreRefused() {
        ClinicalRecords records = withHistory();
        CohortSpec spec = CohortSpec.parse(CohortBuilderTest.SPEC, "test");
        Table cohort = new CohortBuilder().build(records, spec).table();
        assertThatThrownBy(() -> VisitSequences.build(records, spec, cohort, 0)).hasMessageContaining("--max-visits");
        CohortSpec perEncounter = CohortSpec.parse(CohortBuilderTest.SPEC.replace("index_date: 2020-01-01", "unit: encounter"), "t");
        assertThatThrownBy(() -> VisitSequences.build(records, perEncounter, cohort, 5)).hasMessageContaining("patient cohorts");
    }
}
