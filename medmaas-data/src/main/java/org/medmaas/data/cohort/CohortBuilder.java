package org.medmaas.data.cohort;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.DateTimeColumn;
import org.medmaas.core.table.NumericColumn;
import org.medmaas.core.table.Table;
import org.medmaas.core.table.TableBuilder;
import org.medmaas.data.clinical.ClinicalRecords;

/**
 * Turns {@link ClinicalRecords} into one row per eligible patient at the spec's index date (or,
 * with {@code unit: encounter}, one row per encounter indexed at its start, with an
 * {@code encounter_id} column): {@code patient_id}, {@code age} (years at index), {@code sex},
 * observation aggregates over the
 * look-back window {@code [index − lookback, index)}, condition and medication history flags
 * (any record starting before the index; medications also if still running), and the target:
 * whether a target condition starts in {@code [index, index + window)}.
 *
 * <p>Eligible: born before the index, alive at it, within the age limits, with an encounter in
 * the look-back window (unless disabled), and, unless disabled, without the target condition
 * before the index (incident, not prevalent, cases).
 */
public final class CohortBuilder {

    private static final double MILLIS_PER_DAY = 86_400_000.0;
    private static final double MILLIS_PER_YEAR = 365.25 * MILLIS_PER_DAY;

    /** What the build did, for the user: who was excluded and why. */
    public record Summary(int patients, int included, int positives, Map<String, Integer> excluded) {
    }

    public record Result(Table table, Summary summary) {
    }

    /** One row to build: a patient (row in the patients table) at an index time. */
    private record IndexEvent(int patientRow, String patientId, long index, String encounterId) {
    }

    public Result build(ClinicalRecords records, CohortSpec spec) {
        boolean perEncounter = spec.unitOrDefault() == CohortSpec.Unit.ENCOUNTER;
        Map<String, List<Integer>> encountersBy = byPatient(records.encounters());
        Map<String, List<Integer>> conditionsBy = byPatient(records.conditions());
        Map<String, List<Integer>> observationsBy = byPatient(records.observations());
        Map<String, List<Integer>> medicationsBy = byPatient(records.medications());

        CodeMatcher target = new CodeMatcher(spec.target().codes());
        List<CohortSpec.ObservationFeature> observationFeatures = spec.observations().orElseThrow();
        List<CodeMatcher> observationMatchers = observationFeatures.stream().map(f -> new CodeMatcher(f.codes())).toList();
        List<CohortSpec.FlagFeature> conditionFeatures = spec.conditions().orElseThrow();
        List<CodeMatcher> conditionMatchers = conditionFeatures.stream().map(f -> new CodeMatcher(f.codes())).toList();
        List<CohortSpec.FlagFeature> medicationFeatures = spec.medications().orElseThrow();
        List<CodeMatcher> medicationMatchers = medicationFeatures.stream().map(f -> new CodeMatcher(f.codes())).toList();

        TableBuilder out = new TableBuilder();
        List<String> names = new ArrayList<>();
        declareUnique(out, names, "patient_id", ColumnType.IDENTIFIER);
        if (perEncounter) {
            declareUnique(out, names, "encounter_id", ColumnType.IDENTIFIER);
        }
        declareUnique(out, names, "age", ColumnType.NUMERIC);
        declareUnique(out, names, "sex", ColumnType.CATEGORICAL);
        for (CohortSpec.ObservationFeature f : observationFeatures) {
            for (CohortSpec.Aggregation a : f.parsedAggregations()) {
                declareUnique(out, names, f.name() + "_" + a.name().toLowerCase(Locale.ROOT), ColumnType.NUMERIC);
            }
        }
        conditionFeatures.forEach(f -> declareUnique(out, names, f.name(), ColumnType.BOOLEAN));
        medicationFeatures.forEach(f -> declareUnique(out, names, f.name(), ColumnType.BOOLEAN));
        declareUnique(out, names, spec.target().name(), ColumnType.BOOLEAN);

        Table patients = records.patients();
        DateTimeColumn birth = patients.dateTime("birth_date");
        DateTimeColumn death = patients.dateTime("death_date");
        Map<String, Integer> excluded = new LinkedHashMap<>();
        int positives = 0;
        int candidates = 0;
        for (IndexEvent event : indexEvents(records, spec, excluded)) {
            candidates++;
            int p = event.patientRow();
            String id = event.patientId();
            long index = event.index();
            long lookbackStart = index - (long) spec.lookbackDays() * 86_400_000L;
            long windowEnd = index + (long) spec.predictionWindowDays() * 86_400_000L;
            long windowStart = index + (long) spec.targetWindowStartDays().orElse(0) * 86_400_000L;
            if (birth.isMissing(p) || birth.epochMillis(p) >= index) {
                excluded.merge("born after the index date", 1, Integer::sum);
                continue;
            }
            if (!death.isMissing(p) && endOfDeathDay(death.epochMillis(p)) <= index) {
                excluded.merge("died before the index date", 1, Integer::sum);
                continue;
            }
            double age = (index - birth.epochMillis(p)) / MILLIS_PER_YEAR;
            if (spec.minAge().isPresent() && age < spec.minAge().get()
                    || spec.maxAge().isPresent() && age > spec.maxAge().get()) {
                excluded.merge("outside the age limits", 1, Integer::sum);
                continue;
            }
            if (!perEncounter && spec.requiresEncounterInLookback()
                    && !anyStartIn(records.encounters(), "start", encountersBy.get(id), lookbackStart, index)) {
                excluded.merge("no encounter in the look-back window", 1, Integer::sum);
                continue;
            }
            List<Integer> conditionRows = conditionsBy.getOrDefault(id, List.of());
            if (spec.excludesPriorTarget() && anyCoded(records.conditions(), "onset", conditionRows, target,
                    Long.MIN_VALUE, index)) {
                excluded.merge("target condition before the index date", 1, Integer::sum);
                continue;
            }
            out.text("patient_id", id);
            if (perEncounter) {
                out.text("encounter_id", event.encounterId());
            }
            out.number("age", age);
            out.text("sex", patients.column("sex").isMissing(p) ? null : patients.column("sex").format(p));
            List<Integer> observationRows = observationsBy.getOrDefault(id, List.of());
            for (int f = 0; f < observationFeatures.size(); f++) {
                aggregate(records.observations(), observationRows, observationMatchers.get(f), lookbackStart, index,
                        observationFeatures.get(f), out);
            }
            for (int f = 0; f < conditionFeatures.size(); f++) {
                boolean has = anyCoded(records.conditions(), "onset", conditionRows, conditionMatchers.get(f),
                        Long.MIN_VALUE, index);
                out.number(conditionFeatures.get(f).name(), has ? 1 : 0);
            }
            List<Integer> medicationRows = medicationsBy.getOrDefault(id, List.of());
            for (int f = 0; f < medicationFeatures.size(); f++) {
                boolean has = anyCoded(records.medications(), "start", medicationRows, medicationMatchers.get(f),
                        lookbackStart, index)
                        || runningAt(records.medications(), medicationRows, medicationMatchers.get(f), index);
                out.number(medicationFeatures.get(f).name(), has ? 1 : 0);
            }
            boolean outcome = anyCoded(records.conditions(), "onset", conditionRows, target, windowStart, windowEnd);
            positives += outcome ? 1 : 0;
            out.number(spec.target().name(), outcome ? 1 : 0);
            out.endRow();
        }
        if (out.rowCount() == 0) {
            throw MedmaasException.invalid("Cohort '" + spec.name() + "' is empty: every candidate was excluded "
                    + excluded + ". Check the index date against the data's time span.");
        }
        return new Result(out.build(), new Summary(candidates, out.rowCount(), positives, excluded));
    }

    private static List<IndexEvent> indexEvents(ClinicalRecords records, CohortSpec spec, Map<String, Integer> excluded) {
        Table patients = records.patients();
        Map<String, Integer> patientRow = new HashMap<>();
        for (int p = 0; p < patients.rowCount(); p++) {
            if (!patients.column("patient_id").isMissing(p)) {
                patientRow.put(patients.column("patient_id").format(p), p);
            }
        }
        List<IndexEvent> out = new ArrayList<>();
        if (spec.unitOrDefault() == CohortSpec.Unit.PATIENT) {
            long index = spec.indexDate().orElseThrow().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
            patientRow.entrySet().stream().sorted(Map.Entry.comparingByValue())
                    .forEach(e -> out.add(new IndexEvent(e.getValue(), e.getKey(), index, "")));
            return out;
        }
        Table encounters = records.encounters();
        DateTimeColumn start = encounters.dateTime("start");
        List<String> classes = spec.encounterClasses().orElseThrow();
        for (int r = 0; r < encounters.rowCount(); r++) {
            String patient = encounters.column("patient_id").isMissing(r) ? null : encounters.column("patient_id").format(r);
            if (patient == null || start.isMissing(r)) {
                excluded.merge("encounter without patient or start time", 1, Integer::sum);
                continue;
            }
            if (!classes.isEmpty() && (encounters.column("class").isMissing(r)
                    || !classes.contains(encounters.column("class").format(r)))) {
                continue;
            }
            Integer row = patientRow.get(patient);
            if (row == null) {
                excluded.merge("encounter of an unknown patient", 1, Integer::sum);
                continue;
            }
            out.add(new IndexEvent(row, patient, start.epochMillis(r), encounters.column("encounter_id").format(r)));
        }
        return out;
    }

    /** Death recorded at midnight is a date (MIMIC's dod): the patient was alive during that day. */
    private static long endOfDeathDay(long death) {
        return death % 86_400_000L == 0 ? death + 86_400_000L : death;
    }

    private static void declareUnique(TableBuilder out, List<String> names, String column, ColumnType type) {
        if (names.contains(column)) {
            throw MedmaasException.invalid("Cohort spec: the output column '" + column
                    + "' would appear twice. Rename one of the features.");
        }
        names.add(column);
        out.declare(column, type);
    }

    private static Map<String, List<Integer>> byPatient(Table t) {
        Map<String, List<Integer>> out = new HashMap<>();
        var ids = t.column("patient_id");
        for (int r = 0; r < t.rowCount(); r++) {
            if (!ids.isMissing(r)) {
                out.computeIfAbsent(ids.format(r), k -> new ArrayList<>()).add(r);
            }
        }
        return out;
    }

    private static boolean anyStartIn(Table t, String timeColumn, List<Integer> rows, long from, long to) {
        if (rows == null) {
            return false;
        }
        DateTimeColumn time = t.dateTime(timeColumn);
        for (int r : rows) {
            if (!time.isMissing(r) && time.epochMillis(r) >= from && time.epochMillis(r) < to) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyCoded(Table t, String timeColumn, List<Integer> rows, CodeMatcher matcher, long from,
            long to) {
        DateTimeColumn time = t.dateTime(timeColumn);
        var system = t.column("system");
        var code = t.column("code");
        for (int r : rows) {
            if (time.isMissing(r) || code.isMissing(r) || system.isMissing(r)) {
                continue;
            }
            long when = time.epochMillis(r);
            if (when >= from && when < to && matcher.matches(system.format(r), code.format(r))) {
                return true;
            }
        }
        return false;
    }

    private static boolean runningAt(Table t, List<Integer> rows, CodeMatcher matcher, long index) {
        DateTimeColumn start = t.dateTime("start");
        DateTimeColumn stop = t.dateTime("stop");
        var system = t.column("system");
        var code = t.column("code");
        for (int r : rows) {
            if (start.isMissing(r) || code.isMissing(r) || system.isMissing(r) || start.epochMillis(r) >= index) {
                continue;
            }
            if ((stop.isMissing(r) || stop.epochMillis(r) > index) && matcher.matches(system.format(r), code.format(r))) {
                return true;
            }
        }
        return false;
    }

    private static void aggregate(Table obs, List<Integer> rows, CodeMatcher matcher, long from, long to,
            CohortSpec.ObservationFeature feature, TableBuilder out) {
        DateTimeColumn time = obs.dateTime("time");
        NumericColumn value = obs.numeric("value");
        var system = obs.column("system");
        var code = obs.column("code");
        List<long[]> points = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int r : rows) {
            if (time.isMissing(r) || value.isMissing(r) || code.isMissing(r) || system.isMissing(r)) {
                continue;
            }
            long when = time.epochMillis(r);
            if (when >= from && when < to && matcher.matches(system.format(r), code.format(r))) {
                points.add(new long[] {when});
                values.add(value.get(r));
            }
        }
        int n = values.size();
        for (CohortSpec.Aggregation a : feature.parsedAggregations()) {
            String column = feature.name() + "_" + a.name().toLowerCase(Locale.ROOT);
            if (a == CohortSpec.Aggregation.COUNT) {
                out.number(column, n);
                continue;
            }
            if (n == 0) {
                continue;
            }
            double v = switch (a) {
                case LATEST -> {
                    int latest = 0;
                    for (int i = 1; i < n; i++) {
                        if (points.get(i)[0] >= points.get(latest)[0]) {
                            latest = i;
                        }
                    }
                    yield values.get(latest);
                }
                case MEAN -> values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                case MIN -> values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
                case MAX -> values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
                case SLOPE -> slopePerYear(points, values);
                case COUNT -> n;
            };
            out.number(column, v);
        }
    }

    /** Least-squares slope of value against time, per year; NaN (missing) with fewer than two distinct times. */
    private static double slopePerYear(List<long[]> points, List<Double> values) {
        int n = values.size();
        if (n < 2) {
            return Double.NaN;
        }
        double mt = 0;
        double mv = 0;
        for (int i = 0; i < n; i++) {
            mt += points.get(i)[0] / MILLIS_PER_YEAR;
            mv += values.get(i);
        }
        mt /= n;
        mv /= n;
        double stv = 0;
        double stt = 0;
        for (int i = 0; i < n; i++) {
            double dt = points.get(i)[0] / MILLIS_PER_YEAR - mt;
            stv += dt * (values.get(i) - mv);
            stt += dt * dt;
        }
        return stt == 0 ? Double.NaN : stv / stt;
    }
}
