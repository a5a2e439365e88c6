package org.medmaas.data.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.Table;

class CsvTableReaderTest {

    private final CsvTableReader reader = new CsvTableReader();

    @Test
    void infersEveryColumnType() {
        String csv = """
                patient_id,age,sex,smoker,admitted,note
                P001,54,F,true,2020-01-03,chest pain on exertion
                P002,61.5,M,false,2020-02-11,shortness of breath
                P003,?,F,true,,follow-up visit
                """;
        Table t = reader.read(csv, "cohort.csv");
        assertThat(t.rowCount()).isEqualTo(3);
        assertThat(t.schema().columns()).extracting(c -> c.type()).containsExactly(ColumnType.IDENTIFIER,
                ColumnType.NUMERIC, ColumnType.CATEGORICAL, ColumnType.BOOLEAN, ColumnType.DATETIME,
                ColumnType.CATEGORICAL);
        assertThat(t.numeric("age").isMissing(2)).isTrue();
        assertThat(t.numeric("age").get(1)).isEqualTo(61.5);
        assertThat(t.dateTime("admitted").isMissing(2)).isTrue();
        assertThat(t.dateTime("admitted").dateOnly()).isTrue();
    }

    @Test
    void detectsSemicolonsTabsAndSingleQuotes() {
        assertThat(reader.read("a;b;c\n1;2;3\n4;5;6\n", "x").columnCount()).isEqualTo(3);
        assertThat(reader.read("a\tb\n1\t2\n", "x").columnCount()).isEqualTo(2);
        Table quoted = reader.read("name,dose\n'aspirin, low dose',81\n'ibuprofen',200\n", "x");
        assertThat(quoted.columnCount()).isEqualTo(2);
        assertThat(quoted.column("name").format(0)).isEqualTo("aspirin, low dose");
    }

    @Test
    void skipsUtf8ByteOrderMark() throws Exception {
        byte[] body = "glucose,age\n148,50\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        Table t = reader.read(new ByteArrayInputStream(withBom), "bom.csv");
        assertThat(t.schema().names()).containsExactly("glucose", "age");
    }

    @Test
    void raggedRowNamesFileAndLine() {
        assertThatThrownBy(() -> reader.read("a,b,c\n1,2,3\n4,5\n", "labs.csv"))
                .isInstanceOf(MedmaasException.class)
                .hasMessageContaining("labs.csv line 3").hasMessageContaining("2 fields").hasMessageContaining("has 3");
    }

    @Test
    void unparsableNumberNamesRowAndColumnButNotTheValue() {
        StringBuilder csv = new StringBuilder("glucose,age\n");
        for (int i = 0; i < 200; i++) {
            csv.append(100 + i).append(",40\n");
        }
        csv.append("12x7secret,40\n");
        assertThatThrownBy(() -> new CsvTableReader(CsvOptions.defaults().withInferenceRows(100), SchemaFile.empty())
                .read(csv.toString(), "labs.csv"))
                .hasMessageContaining("labs.csv line 202").hasMessageContaining("'glucose'")
                .hasMessageContaining("not a number").hasMessageNotContaining("12x7secret");
    }

    @Test
    void duplicateHeaderAndEmptyFileAreRefused() {
        assertThatThrownBy(() -> reader.read("a,b,a\n1,2,3\n", "dup.csv"))
                .hasMessageContaining("'a' twice").hasMessageContaining("columns 1 and 3");
        assertThatThrownBy(() -> reader.read("", "empty.csv")).hasMessageContaining("empty.csv is empty");
        assertThatThrownBy(() -> reader.read("\n\n", "blank.csv")).hasMessageContaining("is empty");
    }

    @Test
    void schemaFileDeclaresTypesRangesAndColumnMissingTokens() {
        SchemaFile schema = SchemaFile.parse("""
                columns:
                  - name: pressure
                    type: numeric
                    min: 0
                    max: 300
                    missing: ["0"]
                  - name: mrn
                    type: identifier
                """, "schema.yaml");
        CsvTableReader withSchema = new CsvTableReader(CsvOptions.defaults(), schema);
        Table t = withSchema.read("mrn,pressure\n1001,72\n1002,0\n", "bp.csv");
        assertThat(t.column("mrn").type()).isEqualTo(ColumnType.IDENTIFIER);
        assertThat(t.numeric("pressure").isMissing(1)).isTrue();
        assertThatThrownBy(() -> withSchema.read("mrn,pressure\n1001,720\n", "bp.csv"))
                .hasMessageContaining("line 2").hasMessageContaining("above the schema's maximum 300")
                .hasMessageNotContaining("720");
        assertThatThrownBy(() -> withSchema.read("mrn,bp\n1,2\n", "bp.csv"))
                .hasMessageContaining("declares column 'pressure'");
    }

    @Test
    void schemaFileErrorsNameTheEntry() {
        assertThatThrownBy(() -> SchemaFile.parse("columns:\n  - name: x\n    type: decimal\n", "s.yaml"))
                .hasMessageContaining("Unknown column type 'decimal'");
        assertThatThrownBy(() -> SchemaFile.parse("columns:\n  - name: x\n    typ: numeric\n", "s.yaml"))
                .hasMessageContaining("column entry 1").hasMessageContaining("unknown key 'typ'");
        assertThatThrownBy(() -> SchemaFile.parse("{\"columns\": [{\"type\": \"numeric\"}]}", "s.json"))
                .hasMessageContaining("'name' is required");
    }

    @Test
    void readsThousandsOfColumns() {
        int width = 3000;
        StringBuilder csv = new StringBuilder();
        for (int c = 0; c < width; c++) {
            csv.append(c == 0 ? "" : ",").append("f").append(c);
        }
        csv.append('\n');
        for (int r = 0; r < 5; r++) {
            for (int c = 0; c < width; c++) {
                csv.append(c == 0 ? "" : ",").append(r * c);
            }
            csv.append('\n');
        }
        Table t = reader.read(csv.toString(), "wide.csv");
        assertThat(t.columnCount()).isEqualTo(width);
        assertThat(t.numeric("f2999").get(4)).isEqualTo(4 * 2999);
    }

    @Test
    void writeThenReadRoundTrips(@TempDir Path dir) throws Exception {
        Table t = reader.read("id,x,label,when\nP1,1.5,\"a, b\",2021-03-04T05:06:07Z\nP2,,c,\n", "in.csv");
        Path file = dir.resolve("out.csv");
        new CsvTableWriter().write(t, file);
        Table back = reader.read(file);
        assertThat(back).isEqualTo(t);
        assertThat(Files.readString(file)).startsWith("id,x,label,when\n");
    }

    @Test
    void missingFileIsNotFound() {
        assertThatThrownBy(() -> reader.read(Path.of("no/such.csv")))
                .isInstanceOfSatisfying(MedmaasException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void readsHeaderlessFilesWithGivenNames() {
        Table t = new CsvTableReader(CsvOptions.defaults().withColumnNames(java.util.List.of("age", "chol", "num")),
                SchemaFile.empty()).read("63.0,233.0,0\n67.0,?,2\n", "cleveland.data");
        assertThat(t.rowCount()).isEqualTo(2);
        assertThat(t.numeric("chol").isMissing(1)).isTrue();
        assertThat(t.numeric("age").get(0)).isEqualTo(63.0);
    }
}
