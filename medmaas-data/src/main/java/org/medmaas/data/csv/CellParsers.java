package org.medmaas.data.csv;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.OptionalLong;

/** Parsing of single cells, shared by type inference and reading. */
final class CellParsers {

    /** ISO local date-time with either 'T' or a space between date and time, optional seconds and fraction. */
    private static final DateTimeFormatter LOCAL_DATE_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart().appendLiteral('T').optionalEnd()
            .optionalStart().appendLiteral(' ').optionalEnd()
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalEnd()
            .toFormatter(Locale.ROOT);

    private CellParsers() {
    }

    /** Whether a trimmed cell is a finite number; NaN and infinities are not accepted. */
    static boolean isNumber(String cell) {
        if (cell.isEmpty() || !startsLikeNumber(cell.charAt(0))) {
            return false;
        }
        try {
            return Double.isFinite(JavaDoubleParser.parseDouble(cell));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Parses a number; throws {@link NumberFormatException} when not a finite number. */
    static double parseNumber(String cell) {
        if (cell.isEmpty() || !startsLikeNumber(cell.charAt(0))) {
            throw new NumberFormatException();
        }
        double v = JavaDoubleParser.parseDouble(cell);
        if (!Double.isFinite(v)) {
            throw new NumberFormatException();
        }
        return v;
    }

    private static boolean startsLikeNumber(char c) {
        // Excludes "Infinity", "NaN" and hexadecimal floats that the JDK grammar allows.
        return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.';
    }

    static boolean isBoolean(String cell) {
        return cell.equalsIgnoreCase("true") || cell.equalsIgnoreCase("false");
    }

    /** Whether the cell is a date without a time part (yyyy-MM-dd). */
    static boolean isDate(String cell) {
        if (cell.length() != 10 || cell.charAt(4) != '-' || cell.charAt(7) != '-') {
            return false;
        }
        try {
            LocalDate.parse(cell);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** Epoch milliseconds of an ISO date, date-time (local, treated as UTC) or instant/offset date-time. */
    static OptionalLong parseDateTime(String cell) {
        if (cell.length() < 10 || cell.charAt(4) != '-' || cell.charAt(7) != '-') {
            return OptionalLong.empty();
        }
        try {
            if (cell.length() == 10) {
                return OptionalLong.of(LocalDate.parse(cell).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
            }
            char last = cell.charAt(cell.length() - 1);
            if (last == 'Z') {
                return OptionalLong.of(Instant.parse(cell.replace(' ', 'T')).toEpochMilli());
            }
            if (hasOffset(cell)) {
                return OptionalLong.of(OffsetDateTime.parse(cell.replace(' ', 'T')).toInstant().toEpochMilli());
            }
            return OptionalLong.of(LocalDateTime.parse(cell, LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC).toEpochMilli());
        } catch (DateTimeParseException e) {
            return OptionalLong.empty();
        }
    }

    private static boolean hasOffset(String cell) {
        int n = cell.length();
        return n > 16 && (cell.charAt(n - 6) == '+' || cell.charAt(n - 6) == '-') && cell.charAt(n - 3) == ':';
    }
}
