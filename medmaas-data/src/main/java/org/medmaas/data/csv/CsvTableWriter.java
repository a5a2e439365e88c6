package org.medmaas.data.csv;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import org.medmaas.core.io.AtomicFiles;
import org.medmaas.core.table.Table;

/**
 * Writes a {@link Table} as RFC 4180 CSV (comma, double quotes where needed, LF line ends).
 * Missing cells are written empty. Files are written to a temporary sibling and moved into
 * place, so a failure never leaves a half-written file behind.
 */
public final class CsvTableWriter {

    public void write(Table table, Path file) {
        AtomicFiles.write(file, out -> write(table, out));
    }

    public void write(Table table, Writer out) {
        CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(out);
        csv.writeRecord(table.schema().names());
        String[] row = new String[table.columnCount()];
        for (int r = 0; r < table.rowCount(); r++) {
            for (int c = 0; c < row.length; c++) {
                row[c] = table.column(c).format(r);
            }
            csv.writeRecord(row);
        }
        try {
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String toCsv(Table table) {
        java.io.StringWriter out = new java.io.StringWriter();
        write(table, out);
        return out.toString();
    }
}
