package org.medmaas.data.csv;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.medmaas.core.table.Table;

/**
 * SHA-256 of a table's content, for model provenance: the digest of the table written as CSV
 * (header, then rows), so equal tables give equal fingerprints however they were read.
 */
public final class TableFingerprint {

    private TableFingerprint() {
    }

    public static String sha256(Table table) {
        MessageDigest digest = org.medmaas.core.io.Digests.newSha256();
        try (Writer out = new OutputStreamWriter(new DigestOutputStream(OutputStream.nullOutputStream(), digest),
                StandardCharsets.UTF_8)) {
            new CsvTableWriter().write(table, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
