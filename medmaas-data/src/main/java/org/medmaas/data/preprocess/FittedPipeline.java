package org.medmaas.data.preprocess;

import org.medmaas.core.json.Json;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.medmaas.core.error.ErrorCode;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.io.AtomicFiles;
import org.medmaas.core.table.Table;

/**
 * Fitted steps applied in order. Saved as a versioned JSON document
 * ({@code {"format": "medmaas-preprocessing", "version": 1, "steps": [...]}}) that travels inside
 * model bundles; loading refuses other formats and newer versions.
 */
public record FittedPipeline(List<FittedStep> steps) implements FittedStep {

    public static final String FORMAT = "medmaas-preprocessing";
    public static final int VERSION = 1;


    public FittedPipeline {
        steps = List.copyOf(steps);
    }

    @Override
    public Table apply(Table table) {
        Table current = table;
        for (FittedStep step : steps) {
            current = step.apply(current);
        }
        return current;
    }

    @Override
    public boolean rowLocal() {
        return steps.stream().allMatch(FittedStep::rowLocal);
    }

    private record Document(@JsonProperty("format") String format, @JsonProperty("version") int version,
            @JsonProperty("steps") List<FittedStep> steps) {
    }

    public String toJson() {
        try {
            return Json.PRETTY.writerFor(Document.class).writeValueAsString(new Document(FORMAT, VERSION, steps));
        } catch (JsonProcessingException e) {
            throw new MedmaasException(ErrorCode.INTERNAL, "Could not write the pipeline as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static FittedPipeline fromJson(String json, String source) {
        JsonNode root;
        try {
            root = Json.PRETTY.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MedmaasException(ErrorCode.INTEGRITY, source + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new MedmaasException(ErrorCode.INTEGRITY, source + " is not a MedMaaS preprocessing pipeline"
                    + " (its 'format' is not '" + FORMAT + "').");
        }
        int version = root.path("version").asInt(-1);
        if (version != VERSION) {
            throw new MedmaasException(ErrorCode.INTEGRITY, source + " has pipeline format version " + version
                    + "; this MedMaaS reads version " + VERSION + ". Use a matching MedMaaS release.");
        }
        try {
            return new FittedPipeline(Json.PRETTY.readerFor(Document.class)
                    .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).<Document>readValue(root).steps());
        } catch (JsonProcessingException e) {
            throw new MedmaasException(ErrorCode.INTEGRITY, source + " has an invalid step: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new MedmaasException(ErrorCode.INTEGRITY, source + " has an unreadable step.");
        }
    }

    /** Writes atomically: a temporary file moved into place. */
    public void save(Path file) {
        AtomicFiles.writeString(file, toJson());
    }

    public static FittedPipeline load(Path file) {
        try {
            return fromJson(Files.readString(file), file.toString());
        } catch (NoSuchFileException e) {
            throw MedmaasException.notFound("Pipeline file " + file + " does not exist.");
        } catch (IOException e) {
            throw MedmaasException.io("Could not read " + file + ": " + e.getMessage(), e);
        }
    }
}
