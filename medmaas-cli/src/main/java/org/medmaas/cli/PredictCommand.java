package org.medmaas.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.medmaas.core.json.Json;
import org.medmaas.core.serving.FieldWarning;
import org.medmaas.core.serving.InputField;
import org.medmaas.core.serving.Prediction;
import org.medmaas.core.serving.ServedModel;
import org.medmaas.core.table.Table;
import org.medmaas.data.csv.CsvOptions;
import org.medmaas.data.csv.CsvTableReader;
import org.medmaas.data.csv.SchemaFile;
import org.medmaas.data.records.JsonRecords;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code medmaas predict MODEL --data FILE|-}: any service's model, through the serving port. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Score patients with a model bundle, with explanations.", "",
                "Input: a CSV file, or '-' for standard input holding CSV or",
                "JSON (an object or an array of objects with the model's input fields; an absent field or null is",
                "a missing value; the same rule as the server's). Output: one JSON object per row with the",
                "probability of each class, the label at the stored threshold, and the features that drove the",
                "score; warnings (a value outside the training range) go to standard error. A sequence model",
                "(lstm, gru) reads a visit table and answers once per patient, numbered in order of their first",
                "row (identifiers are never echoed)."})
final class PredictCommand implements Callable<Integer> {

    /** Absent optional parts (an explanation not asked for) are left out of the output lines. */
    private static final ObjectMapper OUTPUT = Json.MAPPER.copy()
            .setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_ABSENT, JsonInclude.Include.NON_ABSENT));

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model bundle directory.")
    Path bundle;

    @Option(names = "--data", required = true, paramLabel = "FILE|-", description = "Input rows (CSV file, or - for stdin).")
    String data;

    @Option(names = "--columns", split = ",", paramLabel = "NAMES", description = "Column names for a CSV file without a header row.")
    List<String> columns = new ArrayList<>();

    @Option(names = "--top", defaultValue = "5", paramLabel = "N", description = "Features to list per prediction (default: ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() throws IOException {
        ServedModel model = CliServices.load(bundle);
        JsonRecords.Result input = read(model.inputs(), data, columns);
        for (FieldWarning w : input.warnings()) {
            spec.commandLine().getErr().println("warning: " + w.field() + (w.field().contains(".") ? " " : ": ") + w.warning());
        }
        for (Prediction p : model.predict(input.table(), model.maxExplanation() > 0 ? top : 0)) {
            spec.commandLine().getOut().println(OUTPUT.writeValueAsString(p));
        }
        return 0;
    }

    /** Reads input rows with the model's declared types (so type and range errors name line and column). */
    static JsonRecords.Result read(List<InputField> inputs, String source, List<String> columns) throws IOException {
        CsvOptions options = columns.isEmpty() ? CsvOptions.defaults() : CsvOptions.defaults().withColumnNames(columns);
        CsvTableReader reader = new CsvTableReader(options, SchemaFile.forInputs(inputs), false);
        if (!source.equals("-")) {
            Table table = reader.read(Path.of(source));
            JsonRecords.refuseImplausible(table, inputs);
            return new JsonRecords.Result(table, JsonRecords.outsideTraining(table, inputs));
        }
        String text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        String trimmed = text.stripLeading();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            return fromJson(inputs, trimmed);
        }
        Table table = reader.read(text, "standard input");
        JsonRecords.refuseImplausible(table, inputs);
        return new JsonRecords.Result(table, JsonRecords.outsideTraining(table, inputs));
    }

    /**
     * JSON rows: an array of records (problems named {@code records[i].field}) or one record
     * ({@code record.field}), read by the same boundary as the server's records.
     */
    static JsonRecords.Result fromJson(List<InputField> inputs, String json) {
        JsonNode root = Json.parse(json, "The JSON input");
        List<JsonNode> rows = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(rows::add);
            return JsonRecords.read(rows, inputs, "records");
        }
        rows.add(root);
        return JsonRecords.read(rows, inputs, "record");
    }
}
