package org.medmaas.data.csv;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.error.SafeText;
import org.medmaas.core.table.Column;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.Table;

/**
 * Reads a CSV file into a {@link Table}, inferring column types from a leading sample unless a
 * {@link SchemaFile} declares them.
 *
 * <p>Tokenizing is FastCSV's; this class adds what a clinical pipeline needs on top: delimiter
 * and quote detection, UTF-8 byte-order marks, configurable missing tokens, typed columns, and
 * errors that name file, line and column but never show a cell's content.
 */
public final class CsvTableReader {

    private static final int DETECTION_CHARS = 64 * 1024;
    private static final int SAMPLE_CELL_BUDGET = 2_000_000;
    private static final char[] DELIMITER_CANDIDATES = {',', ';', '\t', '|'};

    private final CsvOptions options;
    private final SchemaFile schemaFile;
    private final boolean requireDeclaredColumns;

    public CsvTableReader(CsvOptions options, SchemaFile schemaFile) {
        this(options, schemaFile, true);
    }

    /**
     * @param requireDeclaredColumns whether a column the schema declares but the file lacks is an
     *                               error here; callers that validate columns themselves (model
     *                               input, which reports every problem at once) pass false
     */
    public CsvTableReader(CsvOptions options, SchemaFile schemaFile, boolean requireDeclaredColumns) {
        this.options = schemaFile.applyTo(options);
        this.schemaFile = schemaFile;
        this.requireDeclaredColumns = requireDeclaredColumns;
    }

    public CsvTableReader() {
        this(CsvOptions.defaults(), SchemaFile.empty());
    }

    /** Reads a file. */
    public Table read(Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw MedmaasException.notFound("File " + file + " does not exist.");
        } catch (IOException e) {
            throw MedmaasException.io("Could not read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads CSV text; {@code source} names it in error messages. */
    public Table read(String content, String source) {
        try (Reader reader = new StringReader(content)) {
            return read(new BufferedReader(reader, 1 << 16), source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a UTF-8 stream, skipping a byte-order mark; {@code source} names it in errors. */
    public Table read(InputStream in, String source) throws IOException {
        InputStream stream = in.markSupported() ? in : new BufferedInputStream(in);
        stream.mark(4);
        byte[] head = stream.readNBytes(3);
        stream.reset();
        if (head.length >= 2 && ((head[0] == (byte) 0xFE && head[1] == (byte) 0xFF)
                || (head[0] == (byte) 0xFF && head[1] == (byte) 0xFE))) {
            throw MedmaasException.invalid(source + " is UTF-16 encoded. Save it as UTF-8 and try again.");
        }
        if (head.length == 3 && head[0] == (byte) 0xEF && head[1] == (byte) 0xBB && head[2] == (byte) 0xBF) {
            stream.skipNBytes(3);
        }
        return read(new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8), 1 << 16), source);
    }

    private Table read(BufferedReader reader, String source) throws IOException {
        reader.mark(DETECTION_CHARS + 1);
        char[] buffer = new char[DETECTION_CHARS];
        int read = reader.read(buffer, 0, DETECTION_CHARS);
        reader.reset();
        String head = read <= 0 ? "" : new String(buffer, 0, read);
        if (head.isBlank()) {
            throw MedmaasException.invalid(source + " is empty: a CSV file needs a header row.");
        }
        char delimiter = options.delimiter().orElseGet(() -> detectDelimiter(head));
        char quote = options.quote().orElseGet(() -> detectQuote(head, delimiter));

        CsvReader<CsvRecord> csv = CsvReader.builder()
                .fieldSeparator(delimiter)
                .quoteCharacter(quote)
                .skipEmptyLines(true)
                .allowExtraFields(true)
                .allowMissingFields(true)
                .ofCsvRecord(reader);
        try (csv) {
            Iterator<CsvRecord> records = csv.iterator();
            if (!records.hasNext()) {
                throw MedmaasException.invalid(source + " is empty: a CSV file needs a header row.");
            }
            if (options.columnNames().isPresent()) {
                List<String> names = options.columnNames().get();
                return readBody(records, header(de.siegmar.fastcsv.reader.CsvReader.builder()
                        .fieldSeparator(delimiter).ofSingleCsvRecord(String.join(String.valueOf(delimiter), names)), source),
                        source);
            }
            List<String> header = header(records.next(), source);
            return readBody(records, header, source);
        } catch (CsvParseException e) {
            throw MedmaasException.invalid(source + " could not be parsed as CSV: " + safeParseMessage(e)
                    + ". Maybe a quote is not closed.");
        } catch (UncheckedIOException e) {
            throw MedmaasException.io("Could not read " + source + ": " + e.getCause().getMessage(), e);
        }
    }

    private static String safeParseMessage(CsvParseException e) {
        // FastCSV messages can quote field content; keep only the position part.
        String m = String.valueOf(e.getMessage());
        int idx = m.indexOf("line");
        return idx >= 0 ? m.substring(idx).replaceAll("[:'\"].*", "") : "malformed quoting";
    }

    private List<String> header(CsvRecord record, String source) {
        List<String> names = new ArrayList<>(record.getFieldCount());
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < record.getFieldCount(); i++) {
            String name = record.getField(i).trim();
            if (name.isEmpty()) {
                throw MedmaasException.invalid(source + ": column " + (i + 1) + " has an empty header."
                        + " Give every column a name.");
            }
            Integer previous = seen.put(name, i);
            if (previous != null) {
                throw MedmaasException.invalid(source + ": the header names column '" + name + "' twice (columns "
                        + (previous + 1) + " and " + (i + 1) + "). Rename one of them.");
            }
            names.add(name);
        }
        for (ColumnDeclaration declared : schemaFile.columns()) {
            if (requireDeclaredColumns && !seen.containsKey(declared.name())) {
                throw MedmaasException.invalid(source + ": the schema declares column '" + declared.name()
                        + "', but the header has no such column.");
            }
        }
        return names;
    }

    private Table readBody(Iterator<CsvRecord> records, List<String> header, String source) {
        int width = header.size();
        List<Set<String>> missingTokens = new ArrayList<>(width);
        for (String name : header) {
            Set<String> tokens = new HashSet<>(options.missingTokens());
            schemaFile.declaration(name).ifPresent(d -> tokens.addAll(d.missingTokens()));
            missingTokens.add(tokens);
        }

        int sampleRows = Math.max(100, Math.min(options.inferenceRows(), SAMPLE_CELL_BUDGET / Math.max(1, width)));
        List<CsvRecord> sample = new ArrayList<>();
        while (sample.size() < sampleRows && records.hasNext()) {
            CsvRecord record = records.next();
            checkWidth(record, width, header, source);
            sample.add(record);
        }

        List<ColumnAccumulator> accumulators = new ArrayList<>(width);
        for (int c = 0; c < width; c++) {
            String name = header.get(c);
            Optional<ColumnDeclaration> declared = schemaFile.declaration(name);
            ColumnType type;
            if (declared.isPresent()) {
                type = declared.get().type();
            } else {
                List<String> cells = new ArrayList<>();
                for (CsvRecord record : sample) {
                    String cell = record.getField(c).trim();
                    if (!missingTokens.get(c).contains(cell)) {
                        cells.add(cell);
                    }
                }
                type = TypeInference.infer(name, cells);
            }
            accumulators.add(ColumnAccumulator.forType(name, type,
                    declared.map(ColumnDeclaration::min).orElse(OptionalDouble.empty()),
                    declared.map(ColumnDeclaration::max).orElse(OptionalDouble.empty())));
        }

        for (CsvRecord record : sample) {
            addRecord(record, accumulators, missingTokens, header, source);
        }
        sample.clear();
        if (records.hasNext()) {
            parseRestInParallel(records, accumulators, missingTokens, header, source);
        }
        List<Column> columns = new ArrayList<>(width);
        for (ColumnAccumulator a : accumulators) {
            columns.add(a.build());
        }
        return Table.of(columns);
    }

    private static final int BATCH_ROWS = 2048;
    private static final List<CsvRecord> END_OF_INPUT = List.of();

    /**
     * Tokenizing (FastCSV, this thread) and cell parsing (a second thread) overlap: on the two
     * cores of a small server this reads large files about twice as fast as doing both in turn.
     * Batches keep their order, so rows keep theirs; the first error on either side stops both
     * and is rethrown here.
     */
    private void parseRestInParallel(Iterator<CsvRecord> records, List<ColumnAccumulator> accumulators,
            List<Set<String>> missingTokens, List<String> header, String source) {
        int width = header.size();
        java.util.concurrent.BlockingQueue<List<CsvRecord>> queue = new java.util.concurrent.ArrayBlockingQueue<>(8);
        java.util.concurrent.atomic.AtomicReference<RuntimeException> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread parser = Thread.ofPlatform().name("csv-parser").daemon().start(() -> {
            try {
                while (true) {
                    List<CsvRecord> batch = queue.take();
                    if (batch == END_OF_INPUT) {
                        return;
                    }
                    for (CsvRecord record : batch) {
                        checkWidth(record, width, header, source);
                        addRecord(record, accumulators, missingTokens, header, source);
                    }
                }
            } catch (RuntimeException e) {
                failure.set(e);
                queue.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            List<CsvRecord> batch = new ArrayList<>(BATCH_ROWS);
            while (records.hasNext() && failure.get() == null) {
                batch.add(records.next());
                if (batch.size() == BATCH_ROWS) {
                    offer(queue, batch, failure);
                    batch = new ArrayList<>(BATCH_ROWS);
                }
            }
            if (!batch.isEmpty()) {
                offer(queue, batch, failure);
            }
            offer(queue, END_OF_INPUT, failure);
            parser.join();
        } catch (InterruptedException e) {
            parser.interrupt();
            Thread.currentThread().interrupt();
            throw MedmaasException.io("Interrupted while reading " + source + ".", e);
        } catch (RuntimeException e) {
            parser.interrupt();
            throw e;
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** Hands a batch to the parser unless it has already failed (then nothing more is read). */
    private static void offer(java.util.concurrent.BlockingQueue<List<CsvRecord>> queue, List<CsvRecord> batch,
            java.util.concurrent.atomic.AtomicReference<RuntimeException> failure) throws InterruptedException {
        while (failure.get() == null) {
            if (queue.offer(batch, 50, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                return;
            }
        }
    }

    private static void checkWidth(CsvRecord record, int width, List<String> header, String source) {
        if (record.getFieldCount() != width) {
            throw MedmaasException.invalid(source + " line " + record.getStartingLineNumber() + " has "
                    + record.getFieldCount() + " fields, but the header has " + width
                    + ". Check for a missing or extra delimiter on that line"
                    + (record.getFieldCount() > width ? " or an unquoted delimiter inside a value." : "."));
        }
    }

    private void addRecord(CsvRecord record, List<ColumnAccumulator> accumulators, List<Set<String>> missingTokens,
            List<String> header, String source) {
        for (int c = 0; c < accumulators.size(); c++) {
            String cell = record.getField(c);
            if (!cell.isEmpty() && (Character.isWhitespace(cell.charAt(0))
                    || Character.isWhitespace(cell.charAt(cell.length() - 1)))) {
                cell = cell.trim();
            }
            ColumnAccumulator a = accumulators.get(c);
            if (missingTokens.get(c).contains(cell)) {
                a.addMissing();
                continue;
            }
            ColumnAccumulator.Refusal refusal = a.add(cell);
            if (refusal != ColumnAccumulator.Refusal.NONE) {
                throw refused(refusal, record.getStartingLineNumber(), header.get(c), cell, source);
            }
        }
    }

    private MedmaasException refused(ColumnAccumulator.Refusal refusal, long line, String column, String cell,
            String source) {
        boolean declared = schemaFile.declaration(column).isPresent();
        String where = source + " line " + line + ", column '" + column + "': ";
        String origin = declared ? "declared " : "inferred from the first rows as ";
        String remedy = declared
                ? " Fix the value or add it to the column's 'missing' list in the schema file."
                : " Fix the value, add it to the missing tokens, or declare the column's type in a schema file (--schema).";
        return switch (refusal) {
            case NOT_A_NUMBER -> MedmaasException.invalid(where + "the column is " + origin
                    + "numeric, but the value (" + SafeText.describeShape(cell) + ") is not a number." + remedy);
            case NOT_A_BOOLEAN -> MedmaasException.invalid(where + "the column is " + origin
                    + "boolean, but the value (" + SafeText.describeShape(cell) + ") is not true or false." + remedy);
            case NOT_A_DATE -> MedmaasException.invalid(where + "the column is " + origin
                    + "date/time, but the value (" + SafeText.describeShape(cell)
                    + ") is not an ISO-8601 date or date-time." + remedy);
            case BELOW_MIN -> MedmaasException.invalid(where + "the value is below the schema's minimum "
                    + schemaFile.declaration(column).orElseThrow().min().orElseThrow() + ".");
            case ABOVE_MAX -> MedmaasException.invalid(where + "the value is above the schema's maximum "
                    + schemaFile.declaration(column).orElseThrow().max().orElseThrow() + ".");
            case NONE -> throw new IllegalStateException("not a refusal");
        };
    }

    /**
     * Picks the candidate delimiter that splits the first lines into the same, largest number of
     * fields; quoted sections are skipped so commas inside quoted text do not count.
     */
    static char detectDelimiter(String head) {
        List<String> lines = head.lines().filter(l -> !l.isBlank()).limit(20).toList();
        if (lines.size() > 1 && !head.endsWith("\n") && head.length() >= DETECTION_CHARS) {
            lines = lines.subList(0, lines.size() - 1); // the last line may be cut off
        }
        char best = ',';
        double bestScore = 0;
        for (char candidate : DELIMITER_CANDIDATES) {
            int first = countOutsideQuotes(lines.get(0), candidate);
            if (first == 0) {
                continue;
            }
            int consistent = 0;
            for (String line : lines) {
                if (countOutsideQuotes(line, candidate) == first) {
                    consistent++;
                }
            }
            double score = first * ((double) consistent / lines.size());
            if (score > bestScore) {
                bestScore = score;
                best = candidate;
            }
        }
        return best;
    }

    private static int countOutsideQuotes(String line, char delimiter) {
        int count = 0;
        boolean inQuotes = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == '"') {
                inQuotes = !inQuotes;
            } else if (ch == delimiter && !inQuotes) {
                count++;
            }
        }
        return count;
    }

    /**
     * Single quotes are taken as the quote character only when double quotes never appear and
     * some field is wholly wrapped in single quotes (and so may hide a delimiter).
     */
    static char detectQuote(String head, char delimiter) {
        if (head.indexOf('"') >= 0) {
            return '"';
        }
        String d = java.util.regex.Pattern.quote(String.valueOf(delimiter));
        java.util.regex.Pattern singleQuoted = java.util.regex.Pattern.compile(
                "(?m)(^|" + d + ")\\s*'[^'\\n]*'\\s*(" + d + "|$)");
        return singleQuoted.matcher(head).find() ? '\'' : '"';
    }
}
