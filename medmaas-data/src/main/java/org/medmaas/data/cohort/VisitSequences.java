package org.medmaas.data.cohort;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.DateTimeColumn;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;
import org.medmaas.core.table.TableBuilder;
import org.medmaas.data.clinical.ClinicalRecords;

/**
 * The encounter histories of a patient cohort, for sequence models: one row per encounter in the
 * look-back window (oldest first, at most the last {@code maxVisits}), keyed by
 * {@code patient_id} and {@code visit} (1, 2, …), with what happened at that encounter:
 * <ul>
 *   <li>{@code days_before_index}: how long before the index date it started;</li>
 *   <li>{@code age} and {@code sex} at the index date, repeated on each visit;</li>
 *   <li>per spec observation, its mean value recorded at the encounter (missing if none);</li>
 *   <li>per spec condition and medication, 1 if one was diagnosed or started at the encounter;</li>
 *   <li>the cohort's target, repeated on each visit of the patient.</li>
 * </ul>
 * An event belongs to an encounter through its {@code encounter_id}, or, when it has none, by
 * time (within the encounter's start and stop, or its start day). Patients and targets are those
 * of the cohort table {@link CohortBuilder} built from the same records and spec; patients
 * without an encounter in the window get no rows.
 */
public final class VisitSequences {

    public static final String VISIT = "visit";
    public static final String DAYS_BEFORE_INDEX = "days_before_index";

    private static final long DAY = 86_400_000L;

    private VisitSequences() {
    }

    public static Table build(ClinicalRecords records, CohortSpec spec, Table cohort, int maxVisits) {
        if (spec.unitOrDefault() != CohortSpec.Unit.PATIENT) {
            throw MedmaasException.invalid("Visit sequences are built for patient cohorts (a fixed index_date),"
                    + " not for 'unit: encounter'.");
        }
        if (maxVisits < 1) {
            throw MedmaasException.invalid("--max-visits must be at least 1.");
        }
        long index = spec.indexDate().orElseThrow().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long lookbackStart = index - (long) spec.lookbackDays() * DAY;
        List<CohortSpec.ObservationFeature> observations = spec.observations().orElseThrow();
        List<CohortSpec.FlagFeature> conditions = spec.conditions().orElseThrow();
        List<CohortSpec.FlagFeature> medications = spec.medications().orElseThrow();
        List<CodeMatcher> observationMatchers = observations.stream().map(f -> new CodeMatcher(f.codes())).toList();
        List<CodeMatcher> conditionMatchers = conditions.stream().map(f -> new CodeMatcher(f.codes())).toList();
        List<CodeMatcher> medicationMatchers = medications.stream().map(f -> new CodeMatcher(f.codes())).toList();

        TableBuilder out = new TableBuilder();
        out.declare("patient_id", ColumnType.IDENTIFIER);
        out.declare(VISIT, ColumnType.NUMERIC);
        out.declare(DAYS_BEFORE_INDEX, ColumnType.NUMERIC);
        out.declare("age", ColumnType.NUMERIC);
        out.declare("sex", ColumnType.CATEGORICAL);
        observations.forEach(f -> out.declare(f.name(), ColumnType.NUMERIC));
        conditions.forEach(f -> out.declare(f.name(), ColumnType.NUMERIC));
        medications.forEach(f -> out.declare(f.name(), ColumnType.NUMERIC));
        String target = spec.target().name();
        out.declare(target, ColumnType.BOOLEAN);

        Table encounters = records.encounters();
        DateTimeColumn start = encounters.dateTime("start");
        DateTimeColumn stop = encounters.dateTime("stop");
        Map<String, List<Integer>> encountersBy = rowsBy(encounters, "patient_id");
        Events obs = new Events(records.observations(), "time");
        Events cond = new Events(records.conditions(), "onset");
        Events meds = new Events(records.medications(), "start");
        NumericColumn values = records.observations().numeric("value");

        Column ids = cohort.column("patient_id");
        for (int p = 0; p < cohort.rowCount(); p++) {
            String id = ids.format(p);
            List<Integer> visits = new ArrayList<>();
            for (int r : encountersBy.getOrDefault(id, List.of())) {
                if (!start.isMissing(r) && start.epochMillis(r) >= lookbackStart && start.epochMillis(r) < index) {
                    visits.add(r);
                }
            }
            visits.sort(Comparator.comparingLong(start::epochMillis));
            List<Integer> kept = visits.subList(Math.max(0, visits.size() - maxVisits), visits.size());
            for (int v = 0; v < kept.size(); v++) {
                int e = kept.get(v);
                String encounterId = encounters.column("encounter_id").isMissing(e) ? "" : encounters.column("encounter_id").format(e);
                long from = start.epochMillis(e);
                long to = stop.isMissing(e) || stop.epochMillis(e) <= from ? from - from % DAY + DAY : stop.epochMillis(e) + 1;
                out.text("patient_id", id);
                out.number(VISIT, v + 1);
                out.number(DAYS_BEFORE_INDEX, (index - from) / (double) DAY);
                if (!cohort.numeric("age").isMissing(p)) {
                    out.number("age", cohort.numeric("age").get(p));
                }
                out.text("sex", cohort.column("sex").isMissing(p) ? null : cohort.column("sex").format(p));
                for (int f = 0; f < observations.size(); f++) {
                    double sum = 0;
                    int n = 0;
                    for (int r : obs.at(id, encounterId, from, to, observationMatchers.get(f))) {
                        if (!values.isMissing(r)) {
                            sum += values.get(r);
                            n++;
                        }
                    }
                    if (n > 0) {
                        out.number(observations.get(f).name(), sum / n);
                    }
                }
                for (int f = 0; f < conditions.size(); f++) {
                    out.number(conditions.get(f).name(), cond.at(id, encounterId, from, to, conditionMatchers.get(f)).isEmpty() ? 0 : 1);
                }
                for (int f = 0; f < medications.size(); f++) {
                    out.number(medications.get(f).name(), meds.at(id, encounterId, from, to, medicationMatchers.get(f)).isEmpty() ? 0 : 1);
                }
                out.number(target, cohort.column(target).format(p).equals("true") ? 1 : 0);
                out.endRow();
            }
        }
        if (out.rowCount() == 0) {
            throw MedmaasException.invalid("No patient of cohort '" + spec.name() + "' has an encounter in the look-back"
                    + " window, so there are no visit sequences.");
        }
        return out.build();
    }

    private static Map<String, List<Integer>> rowsBy(Table t, String column) {
        Map<String, List<Integer>> out = new HashMap<>();
        Column key = t.column(column);
        for (int r = 0; r < t.rowCount(); r++) {
            if (!key.isMissing(r)) {
                out.computeIfAbsent(key.format(r), k -> new ArrayList<>()).add(r);
            }
        }
        return out;
    }

    /** One event table (observations, conditions or medications), indexed by patient. */
    private static final class Events {
        private final DateTimeColumn time;
        private final Column encounter;
        private final Column system;
        private final Column code;
        private final Map<String, List<Integer>> byPatient;

        Events(Table table, String timeColumn) {
            this.time = table.dateTime(timeColumn);
            this.encounter = table.column("encounter_id");
            this.system = table.column("system");
            this.code = table.column("code");
            this.byPatient = rowsBy(table, "patient_id");
        }

        /** Matching rows of a patient that belong to an encounter: by its id, or by time when the row has none. */
        List<Integer> at(String patient, String encounterId, long from, long to, CodeMatcher matcher) {
            List<Integer> out = new ArrayList<>();
            for (int r : byPatient.getOrDefault(patient, List.of())) {
                if (code.isMissing(r) || system.isMissing(r) || !matcher.matches(system.format(r), code.format(r))) {
                    continue;
                }
                boolean linked = !encounter.isMissing(r) && !encounterId.isEmpty();
                boolean belongs = linked ? encounter.format(r).equals(encounterId)
                        : !time.isMissing(r) && time.epochMillis(r) >= from && time.epochMillis(r) < to;
                if (belongs) {
                    out.add(r);
                }
            }
            return out;
        }
    }
}
