package org.medmaas.core.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.error.SafeText;

class TableTest {

    static Table sample() {
        BitSet missing = new BitSet();
        missing.set(1);
        return Table.of(StringColumn.identifiers("id", "P1", "P2", "P3"),
                NumericColumn.of("glucose", new double[] {100, 0, 140}, missing),
                CategoricalColumn.of("sex", "F", "M", "F"));
    }

    @Test
    void missingValuesAreExplicitAndNaNIsRefused() {
        NumericColumn glucose = sample().numeric("glucose");
        assertThat(glucose.isMissing(1)).isTrue();
        assertThat(glucose.missingCount()).isEqualTo(1);
        assertThatThrownBy(() -> glucose.get(1)).hasMessageContaining("row 2 is missing");
        assertThatThrownBy(() -> NumericColumn.of("x", 1.0, Double.NaN)).hasMessageContaining("NaN but not marked missing");
        assertThat(NumericColumn.ofNanAsMissing("x", new double[] {1, Double.NaN}).missingCount()).isEqualTo(1);
    }

    @Test
    void operationsReturnNewTablesAndKeepOrder() {
        Table t = sample();
        Table taken = t.take(new int[] {2, 0, 2});
        assertThat(taken.rowCount()).isEqualTo(3);
        assertThat(taken.column("id").format(0)).isEqualTo("P3");
        assertThat(t.rowCount()).isEqualTo(3);
        Table replaced = t.withAll(List.of(NumericColumn.of("glucose", 1, 2, 3), NumericColumn.of("age", 40, 50, 60)));
        assertThat(replaced.schema().names()).containsExactly("id", "glucose", "sex", "age");
        assertThat(replaced.numeric("glucose").get(2)).isEqualTo(3.0);
        assertThat(t.drop(List.of("sex")).schema().names()).containsExactly("id", "glucose");
        assertThatThrownBy(() -> t.drop(List.of("nope"))).isInstanceOf(MedmaasException.class)
                .hasMessageContaining("No column named 'nope'");
    }

    @Test
    void concatMergesCategoryLevels() {
        Table a = Table.of(CategoricalColumn.of("c", "x", "y"));
        Table b = Table.of(CategoricalColumn.of("c", "z", "x"));
        CategoricalColumn c = a.concat(b).categorical("c");
        assertThat(c.levels()).containsExactly("x", "y", "z");
        assertThat(List.of(c.label(0), c.label(1), c.label(2), c.label(3))).containsExactly("x", "y", "z", "x");
    }

    @Test
    void duplicateNamesAndWrongTypesAreClearErrors() {
        assertThatThrownBy(() -> Table.of(NumericColumn.of("a", 1), NumericColumn.of("a", 2)))
                .hasMessageContaining("'a' appears twice");
        // Narrow and wide tables find duplicates by different means; both name the positions.
        for (int width : new int[] {5, 40}) {
            List<NumericColumn> columns = new java.util.ArrayList<>();
            for (int i = 0; i < width; i++) {
                columns.add(NumericColumn.of(i == width - 1 ? "c2" : "c" + i, 1));
            }
            assertThatThrownBy(() -> Table.of(columns))
                    .hasMessageContaining("'c2' appears twice (positions 3 and " + width + ")");
            assertThat(Table.of(columns.subList(0, width - 1)).schema().indexOf("c" + (width - 2))).isEqualTo(width - 2);
        }
        assertThatThrownBy(() -> sample().numeric("sex")).hasMessageContaining("'sex' is categorical");
    }

    @Test
    void identifierValuesNeverAppearInToStringOrSafeText() {
        assertThat(sample().column("id").toString()).doesNotContain("P1");
        assertThat(SafeText.describeShape("12,5 mg")).isEqualTo("7 characters: digits, letters, spaces, ','")
                .doesNotContain("12");
    }
}
