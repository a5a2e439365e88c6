package org.medmaas.data.csv;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.medmaas.core.error.MedmaasException;
import org.medmaas.core.table.ColumnType;
import org.medmaas.core.table.Table;

/**
 * Reads comma-separated exports of known systems (Synthea, MIMIC-III) with the column types the
 * system documents: declarations apply to the columns a file has, and only empty cells are
 * missing (these exports write "NA" or "?" only as real values, if at all).
 */
public final class DeclaredCsv {

    private DeclaredCsv() {
    }

    public static Table read(Path file, Map<String, ColumnType> declared) {
        Set<String> header = header(file);
        List<ColumnDeclaration> declarations = declared.entrySet().stream()
                .filter(e -> header.contains(e.getKey()))
                .map(e -> ColumnDeclaration.of(e.getKey(), e.getValue()))
                .sorted(Comparator.comparing(ColumnDeclaration::name))
                .toList();
        SchemaFile schema = new SchemaFile(declarations, Optional.of(Set.of("")), Optional.of(','));
        return new CsvTableReader(CsvOptions.defaults(), schema).read(file);
    }

    private static Set<String> header(Path file) {
        try (BufferedReader in = Files.newBufferedReader(file)) {
            String first = in.readLine();
            if (first == null) {
                throw MedmaasException.invalid(file + " is empty: a CSV file needs a header row.");
            }
            if (!first.isEmpty() && first.charAt(0) == '\uFEFF') {
                first = first.substring(1);
            }
            return Arrays.stream(first.split(",")).map(String::trim).collect(Collectors.toSet());
        } catch (java.nio.file.NoSuchFileException e) {
            throw MedmaasException.notFound("File " + file + " does not exist.");
        } catch (IOException e) {
            throw MedmaasException.io("Could not read " + file + ": " + e.getMessage(), e);
        }
    }
}
