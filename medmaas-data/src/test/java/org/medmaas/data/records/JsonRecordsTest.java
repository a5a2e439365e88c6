package org.medmaas.data.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.medmaas.core.error.InvalidFields;
import org.medmaas.core.json.Json;
import org.medmaas.core.serving.InputField;
import org.medmaas.core.table.DateTimeColumn;
import org.medmaas.core.table.Table;

class JsonRecordsTest {

    static final List<InputField> INPUTS = List.of(
            new InputField("age", "numeric", Optional.of(0.0), Optional.of(130.0), Optional.of(18.0), Optional.of(90.0), List.of(),
                    Optional.empty()),
            new InputField("sex", "categorical", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    List.of("female", "male"), Optional.empty()),
            new InputField("smoker", "boolean", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                    Optional.empty()),
            new InputField("admitted", "datetime", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                    Optional.empty()));

    static List<JsonNode> records(String json) {
        List<JsonNode> out = new java.util.ArrayList<>();
        Json.parse(json, "test").forEach(out::add);
        return out;
    }

    @Test
    void absentAndNullAreMissingAndDatesAreRead() {
        JsonRecords.Result r = JsonRecords.read(records("""
                [{"age": 40, "sex": "female", "smoker": true, "admitted": "2024-03-01"},
                 {"age": null, "admitted": "2024-03-01T08:30:00Z"}]"""), INPUTS, "records");
        Table t = r.table();
        assertThat(t.rowCount()).isEqualTo(2);
        assertThat(t.column("age").isMissing(1)).isTrue();
        assertThat(t.column("sex").isMissing(1)).isTrue();
        assertThat(t.column("smoker").isMissing(1)).isTrue();
        DateTimeColumn admitted = (DateTimeColumn) t.column("admitted");
        assertThat(admitted.format(0)).isEqualTo("2024-03-01T00:00:00Z"); // a column of dates and instants reads as instants
        assertThat(admitted.format(1)).isEqualTo("2024-03-01T08:30:00Z");
        assertThat(admitted.isMissing(1)).isFalse();
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void everyProblemIsNamedByFieldWithoutItsValue() {
        assertThatThrownBy(() -> JsonRecords.read(records("""
                [{"age": "forty", "sex": "x-secret", "smoker": "yes", "admitted": "01/03/2024", "ssn": "123-45-6789"},
                 {"age": 200}, 7]"""), INPUTS, "records"))
                .isInstanceOfSatisfying(InvalidFields.class, e -> assertThat(e.errors())
                        .extracting(f -> f.field() + ": " + f.problem()).containsExactly(
                                "records[0]: has 1 field that is not an input of this model",
                                "records[0].age: must be a finite number",
                                "records[0].sex: is a category the model was not trained on (it knows 2; check spelling and coding)",
                                "records[0].smoker: must be true or false",
                                "records[0].admitted: must be an ISO-8601 date (2024-03-01) or date-time (2024-03-01T08:30:00Z)",
                                "records[1].age: is outside the allowed range [0.0, 130.0]",
                                "records[2]: must be an object of named fields"))
                .message().doesNotContain("x-secret").doesNotContain("123-45-6789").doesNotContain("forty");
    }

    @Test
    void aValueOutsideTheTrainingRangeIsTakenWithAWarningThatShowsNoValue() {
        JsonRecords.Result r = JsonRecords.read(records("[{\"age\": 95}, {\"age\": 10}]"), INPUTS, "records");
        assertThat(r.table().rowCount()).isEqualTo(2);
        assertThat(r.warnings()).extracting(w -> w.field() + " " + w.warning()).containsExactly(
                "records[0].age is above the largest value seen in training; the prediction extrapolates",
                "records[1].age is below the smallest value seen in training; the prediction extrapolates");
    }

    /**
     * Issue 11, item 10: with no declared range, an impossible value was scored (age -5 and 1e308
     * gave p near 1). Beyond the model's tolerance it is now refused, naming the field only.
     */
    @Test
    void implausibleNumbersAreRefusedBeyondTheModelsTolerance() {
        InputField age = new InputField("age", "numeric", Optional.empty(), Optional.empty(), Optional.of(20.0), Optional.of(80.0),
                List.of(), Optional.empty());
        for (String value : List.of("-5", "1e308", "141", "-0.5")) {
            assertThatThrownBy(() -> JsonRecords.read(records("[{\"age\": " + value + "}]"), List.of(age), "record"))
                    .as(value).isInstanceOfSatisfying(InvalidFields.class, e -> {
                        assertThat(e.errors()).singleElement().satisfies(f -> {
                            assertThat(f.field()).isEqualTo("record.age");
                            assertThat(f.problem()).startsWith("is implausible for this model").doesNotContain(value);
                        });
                    });
        }
        // Within one training range beyond the edge: scored, with the extrapolation warning.
        JsonRecords.Result within = JsonRecords.read(records("[{\"age\": 130}]"), List.of(age), "record");
        assertThat(within.warnings()).singleElement().satisfies(w -> assertThat(w.warning()).contains("above the largest"));
        assertThat(JsonRecords.read(records("[{\"age\": 0}]"), List.of(age), "record").table().rowCount()).isEqualTo(1);
        // A tighter tolerance refuses sooner; a negative one never refuses.
        assertThatThrownBy(() -> JsonRecords.read(records("[{\"age\": 95}]"), List.of(age.withTolerance(0.2)), "record"))
                .isInstanceOf(InvalidFields.class);
        assertThat(JsonRecords.read(records("[{\"age\": 1e308}]"), List.of(age.withTolerance(-1)), "record").table().rowCount())
                .isEqualTo(1);
        // An input that was negative in training may be negative, within the tolerance.
        InputField change = new InputField("change", "numeric", Optional.empty(), Optional.empty(), Optional.of(-3.0),
                Optional.of(3.0), List.of(), Optional.empty());
        assertThat(JsonRecords.read(records("[{\"change\": -8}]"), List.of(change), "record").table().rowCount()).isEqualTo(1);
        assertThatThrownBy(() -> JsonRecords.read(records("[{\"change\": -10}]"), List.of(change), "record"))
                .isInstanceOf(InvalidFields.class);
    }

    @Test
    void aCsvTableWithImplausibleNumbersIsRefusedByColumnAndCount() {
        InputField age = new InputField("age", "numeric", Optional.empty(), Optional.empty(), Optional.of(20.0), Optional.of(80.0),
                List.of(), Optional.empty());
        Table table = Table.of(org.medmaas.core.table.NumericColumn.of("age", new double[] {40, -5, 1e308, 60}));
        assertThatThrownBy(() -> JsonRecords.refuseImplausible(table, List.of(age)))
                .isInstanceOfSatisfying(InvalidFields.class, e -> assertThat(e.errors()).singleElement()
                        .satisfies(f -> assertThat(f.field() + ": " + f.problem()).startsWith("age: 2 row(s) is implausible")));
    }
}
