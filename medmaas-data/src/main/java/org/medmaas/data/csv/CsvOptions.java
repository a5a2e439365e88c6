package org.medmaas.data.csv;

import java.util.Optional;
import java.util.Set;
import org.medmaas.core.error.MedmaasException;

/**
 * How to read a CSV file.
 *
 * @param delimiter      the field separator, or empty to detect it from the first lines
 * @param quote          the quote character, or empty to detect it ({@code "} or {@code '})
 * @param missingTokens  cell contents (after trimming) that mean "missing" in every column
 * @param inferenceRows  how many leading rows are examined to infer column types; the budget
 *                       shrinks for very wide files so the sample stays a few million cells
 * @param columnNames    names for a file without a header row (its first line is then data)
 */
public record CsvOptions(Optional<Character> delimiter, Optional<Character> quote,
        Set<String> missingTokens, int inferenceRows, Optional<java.util.List<String>> columnNames) {

    /** The tokens read as missing unless configured otherwise. */
    public static final Set<String> DEFAULT_MISSING_TOKENS =
            Set.of("", "?", "NA", "N/A", "NaN", "nan", "NULL", "null");

    public static final int DEFAULT_INFERENCE_ROWS = 10_000;

    public CsvOptions {
        missingTokens = Set.copyOf(missingTokens);
        columnNames = columnNames.map(java.util.List::copyOf);
        if (inferenceRows < 1) {
            throw MedmaasException.invalid("inferenceRows must be at least 1, got " + inferenceRows + ".");
        }
        delimiter.ifPresent(d -> {
            if (d == '\n' || d == '\r' || d == '"') {
                throw MedmaasException.invalid("The delimiter cannot be a line break or a double quote.");
            }
        });
    }

    public static CsvOptions defaults() {
        return new CsvOptions(Optional.empty(), Optional.empty(), DEFAULT_MISSING_TOKENS, DEFAULT_INFERENCE_ROWS,
                Optional.empty());
    }

    public CsvOptions withDelimiter(char d) {
        return new CsvOptions(Optional.of(d), quote, missingTokens, inferenceRows, columnNames);
    }

    public CsvOptions withMissingTokens(Set<String> tokens) {
        return new CsvOptions(delimiter, quote, tokens, inferenceRows, columnNames);
    }

    public CsvOptions withInferenceRows(int rows) {
        return new CsvOptions(delimiter, quote, missingTokens, rows, columnNames);
    }

    /** For a file without a header row: these names, and the first line is data. */
    public CsvOptions withColumnNames(java.util.List<String> names) {
        return new CsvOptions(delimiter, quote, missingTokens, inferenceRows, Optional.of(names));
    }
}
