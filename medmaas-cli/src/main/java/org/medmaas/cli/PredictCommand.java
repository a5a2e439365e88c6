package org.medmaas.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.Table;
import org.medmaas.core.table.TableBuilder;
import org.medmaas.data.csv.CsvOptions;
import org.medmaas.data.csv.CsvTableReader;
import org.medmaas.diagnosis.DiagnosisModel;
import org.medmaas.diagnosis.DiagnosisPrediction;
import org.medmaas.ml.bundle.InputField;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code medmaas predict MODEL --data FILE|-}. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Score patients with a model bundle, with explanations.", "",
                "Input: a CSV file, or '-' for standard input holding CSV or",
                "JSON (an object or an array of objects with the model's input fields). Output: one JSON object per",
                "row with the probability of each class, the label at the stored threshold, and the features that",
                "drove the score. A sequence model (lstm, gru) reads a visit table and answers once per patient,",
                "numbered in order of their first row (identifiers are never echoed)."})
final class PredictCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new Jdk8Module())
            .disable(SerializationFeature.INDENT_OUTPUT)
            .setDefaultPropertyInclusion(com.fasterxml.jackson.annotation.JsonInclude.Value.construct(
                    com.fasterxml.jackson.annotation.JsonInclude.Include.NON_ABSENT,
                    com.fasterxml.jackson.annotation.JsonInclude.Include.NON_ABSENT));

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model bundle directory.")
    Path bundle;

    @Option(names = "--data", required = true, paramLabel = "FILE|-", description = "Input rows (CSV file, or - for stdin).")
    String data;

    @Option(names = "--columns", split = ",", paramLabel = "NAMES", description = "Column names for a CSV file without a header row.")
    List<String> columns = new java.util.ArrayList<>();

    @Option(names = "--top", defaultValue = "5", paramLabel = "N", description = "Features to list per prediction (default: ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() throws IOException {
        DiagnosisModel model = DiagnosisModel.load(bundle);
        Table input = read(model, data, columns);
        for (DiagnosisPrediction p : model.predict(input, top)) {
            spec.commandLine().getOut().println(JSON.writeValueAsString(p));
        }
        return 0;
    }

    /** Reads input rows with the model's declared types (so type and range errors name line and column). */
    static Table read(DiagnosisModel model, String source, List<String> columns) throws IOException {
        CsvOptions options = columns.isEmpty() ? CsvOptions.defaults() : CsvOptions.defaults().withColumnNames(columns);
        CsvTableReader reader = new CsvTableReader(options, model.inputSchema(), false);
        if (!source.equals("-")) {
            return reader.read(Path.of(source));
        }
        InputStream stdin = System.in;
        String text = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        String trimmed = text.stripLeading();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            return fromJson(model, trimmed);
        }
        return reader.read(text, "standard input");
    }

    /** JSON rows: an object or an array of objects; every field must be a model input. */
    static Table fromJson(DiagnosisModel model, String json) throws IOException {
        var root = JSON.readTree(json);
        List<com.fasterxml.jackson.databind.JsonNode> rows = new java.util.ArrayList<>();
        if (root.isArray()) {
            root.forEach(rows::add);
        } else {
            rows.add(root);
        }
        TableBuilder b = new TableBuilder();
        Map<String, InputField> fields = new java.util.LinkedHashMap<>();
        for (InputField f : model.manifest().inputs()) {
            fields.put(f.name(), f);
            b.declare(f.name(), ColumnType.fromLabel(f.type()));
        }
        int n = 0;
        for (var row : rows) {
            n++;
            if (!row.isObject()) {
                throw MedmaasException.invalid("JSON row " + n + " is not an object of field names and values.");
            }
            for (var entry : row.properties()) {
                InputField f = fields.get(entry.getKey());
                if (f == null) {
                    throw MedmaasException.invalid("JSON row " + n + ": unexpected field '" + entry.getKey()
                            + "'. The model's inputs: " + String.join(", ", fields.keySet()) + ".");
                }
                var v = entry.getValue();
                if (v.isNull()) {
                    continue;
                }
                switch (f.type().toLowerCase(Locale.ROOT)) {
                    case "numeric" -> {
                        if (!v.isNumber()) {
                            throw MedmaasException.invalid("JSON row " + n + ": field '" + f.name() + "' must be a number.");
                        }
                        b.number(f.name(), v.doubleValue());
                    }
                    case "boolean" -> {
                        if (!v.isBoolean()) {
                            throw MedmaasException.invalid("JSON row " + n + ": field '" + f.name() + "' must be true or false.");
                        }
                        b.number(f.name(), v.booleanValue() ? 1 : 0);
                    }
                    default -> {
                        if (!v.isTextual()) {
                            throw MedmaasException.invalid("JSON row " + n + ": field '" + f.name() + "' must be a string.");
                        }
                        b.text(f.name(), v.textValue());
                    }
                }
            }
            b.endRow();
        }
        return b.build();
    }
}
