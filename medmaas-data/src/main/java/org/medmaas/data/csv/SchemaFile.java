package org.medmaas.data.csv;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.ColumnType;

/**
 * An explicit schema for a CSV file, read from YAML or JSON (JSON is valid YAML, so one reader
 * takes both). Columns not listed are inferred.
 *
 * <pre>
 * delimiter: ","            # optional
 * missing: ["", "NA", "?"]  # optional: replaces the default missing tokens
 * columns:
 *   - name: glucose
 *     type: numeric
 *     min: 0
 *     max: 1000
 *     missing: ["0"]        # optional, this column only
 *   - name: patient_id
 *     type: identifier
 * </pre>
 */
public record SchemaFile(List<ColumnDeclaration> columns, Optional<Set<String>> missingTokens,
        Optional<Character> delimiter) {

    private static final Set<String> TOP_LEVEL_KEYS = Set.of("columns", "missing", "delimiter");
    private static final Set<String> COLUMN_KEYS = Set.of("name", "type", "min", "max", "missing", "description");

    public SchemaFile {
        columns = List.copyOf(columns);
        Set<String> names = new HashSet<>();
        for (ColumnDeclaration c : columns) {
            if (!names.add(c.name())) {
                throw MedmaasException.invalid("The schema declares column '" + c.name() + "' twice.");
            }
        }
    }

    /**
     * The schema to read a model's prediction input with: the training types of its inputs and
     * any declared ranges, so that type and range errors name line and column.
     */
    public static SchemaFile forInputs(List<org.medmaas.core.serving.InputField> inputs) {
        List<ColumnDeclaration> declarations = new java.util.ArrayList<>();
        for (org.medmaas.core.serving.InputField f : inputs) {
            declarations.add(new ColumnDeclaration(f.name(), org.medmaas.core.table.ColumnType.fromLabel(f.type()),
                    f.min().map(java.util.OptionalDouble::of).orElse(java.util.OptionalDouble.empty()),
                    f.max().map(java.util.OptionalDouble::of).orElse(java.util.OptionalDouble.empty()), List.of(), Optional.empty()));
        }
        return new SchemaFile(declarations, Optional.empty(), Optional.empty());
    }

    public static SchemaFile empty() {
        return new SchemaFile(List.of(), Optional.empty(), Optional.empty());
    }

    public Optional<ColumnDeclaration> declaration(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** Applies the file's delimiter and missing tokens, if set, to reading options. */
    public CsvOptions applyTo(CsvOptions options) {
        CsvOptions out = options;
        if (missingTokens.isPresent()) {
            out = out.withMissingTokens(missingTokens.get());
        }
        if (delimiter.isPresent()) {
            out = out.withDelimiter(delimiter.get());
        }
        return out;
    }

    /** Reads a schema file; errors name the file and the offending entry. */
    public static SchemaFile read(Path file) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw MedmaasException.notFound("Schema file " + file + " does not exist.");
        } catch (IOException e) {
            throw MedmaasException.invalid("Schema file " + file + " is not valid YAML or JSON: "
                    + firstLine(e.getMessage()));
        }
        return parse(root, file.toString());
    }

    /** Parses a schema from a YAML or JSON string; {@code source} names it in errors. */
    public static SchemaFile parse(String content, String source) {
        try {
            return parse(new YAMLMapper().readTree(content), source);
        } catch (IOException e) {
            throw MedmaasException.invalid("Schema " + source + " is not valid YAML or JSON: " + firstLine(e.getMessage()));
        }
    }

    private static SchemaFile parse(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw MedmaasException.invalid("Schema " + source + " must be a mapping with a 'columns' list.");
        }
        rejectUnknownKeys(root, TOP_LEVEL_KEYS, "Schema " + source);
        List<ColumnDeclaration> columns = new ArrayList<>();
        JsonNode list = root.path("columns");
        if (!list.isMissingNode() && !list.isArray()) {
            throw MedmaasException.invalid("Schema " + source + ": 'columns' must be a list.");
        }
        int position = 0;
        for (JsonNode entry : list) {
            position++;
            String where = "Schema " + source + ", column entry " + position;
            if (!entry.isObject()) {
                throw MedmaasException.invalid(where + ": must be a mapping with 'name' and 'type'.");
            }
            rejectUnknownKeys(entry, COLUMN_KEYS, where);
            String name = requiredText(entry, "name", where);
            ColumnType type = ColumnType.fromLabel(requiredText(entry, "type", where + " ('" + name + "')"));
            columns.add(new ColumnDeclaration(name, type, number(entry, "min", where), number(entry, "max", where),
                    strings(entry.path("missing"), where + " 'missing'"),
                    Optional.ofNullable(entry.path("description").textValue())));
        }
        Optional<Set<String>> missing = root.has("missing")
                ? Optional.of(Set.copyOf(strings(root.get("missing"), "Schema " + source + " 'missing'")))
                : Optional.empty();
        Optional<Character> delimiter = Optional.empty();
        if (root.has("delimiter")) {
            String d = root.get("delimiter").asText();
            if (d.equals("\\t")) {
                d = "\t";
            }
            if (d.length() != 1) {
                throw MedmaasException.invalid("Schema " + source + ": 'delimiter' must be one character.");
            }
            delimiter = Optional.of(d.charAt(0));
        }
        return new SchemaFile(columns, missing, delimiter);
    }

    private static void rejectUnknownKeys(JsonNode node, Set<String> allowed, String where) {
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            String key = property.getKey();
            if (!allowed.contains(key)) {
                throw MedmaasException.invalid(where + ": unknown key '" + key + "'. Allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ".");
            }
        }
    }

    private static String requiredText(JsonNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (value == null || !value.isValueNode() || value.asText().isBlank()) {
            throw MedmaasException.invalid(where + ": '" + key + "' is required.");
        }
        return value.asText().trim();
    }

    private static OptionalDouble number(JsonNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return OptionalDouble.empty();
        }
        if (!value.isNumber()) {
            throw MedmaasException.invalid(where + ": '" + key + "' must be a number.");
        }
        return OptionalDouble.of(value.doubleValue());
    }

    private static List<String> strings(JsonNode node, String where) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw MedmaasException.invalid(where + " must be a list of strings.");
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** The schema as a JSON-compatible document (used when writing schema files). */
    public String toYaml() {
        ObjectMapper mapper = new YAMLMapper();
        var root = mapper.createObjectNode();
        var list = root.putArray("columns");
        for (ColumnDeclaration c : columns) {
            var n = list.addObject();
            n.put("name", c.name());
            n.put("type", c.type().label());
            c.min().ifPresent(v -> n.put("min", v));
            c.max().ifPresent(v -> n.put("max", v));
            if (!c.missingTokens().isEmpty()) {
                var m = n.putArray("missing");
                c.missingTokens().forEach(m::add);
            }
            c.description().ifPresent(d -> n.put("description", d));
        }
        try {
            return mapper.writeValueAsString(root);
        } catch (IOException e) {
            throw MedmaasException.io("Could not write the schema as YAML.", e);
        }
    }
}
