package io.flinkrnn.models.csv;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The one CSV reader of the project, on Apache Commons CSV: a header row, then data rows with the line each starts
 * on. It reads UTF-8 with or without a byte-order mark, LF or CRLF line ends, and RFC 4180 quoting (a field
 * {@code "Seattle, WA"} is one field; {@code ""} inside quotes is a quote). The delimiter is given, or detected
 * once from the header line: whichever of comma, semicolon and tab it holds most often outside quotes (a comma
 * on a tie or when it holds none), so SKAB's and Excel's semicolon files read as they are, decimal commas included
 * ({@link #number}). Fields and column
 * names are trimmed; blank lines are skipped. Every problem names the file and, where there is one, the line:
 * {@code x.csv line 12: 3 fields, header has 4}.
 */
public final class CsvReader implements Closeable {
    /** The delimiters detection chooses from, in the order that breaks a tie. */
    private static final char[] DETECTED = {',', ';', '\t'};

    /** A data row: the line it starts on (the header is line 1) and its fields. */
    public record Row(long line, String[] fields) {
    }

    /** A file that cannot be read as CSV; the message names it (and the line). */
    public static final class BadCsv extends IOException {
        private static final long serialVersionUID = 1L;

        BadCsv(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Path file;
    private final char delimiter;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> header;

    private CsvReader(Path file, char delimiter, CSVParser parser) throws IOException {
        this.file = file;
        this.delimiter = delimiter;
        this.parser = parser;
        this.records = parser.iterator();
        Row first = next();
        if (first == null) {
            throw new BadCsv(file + " is empty (a header row is required)", null);
        }
        this.header = List.of(first.fields());
    }

    /**
     * Opens {@code file} and reads its header; {@code delimiter} null detects it from the header line.
     * {@link BadCsv} when the file is empty, not UTF-8, or its header cannot be parsed.
     */
    public static CsvReader open(Path file, Character delimiter) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)));
        try {
            in.mark(1);
            if (in.read() != '\uFEFF') {
                in.reset();
            }
            char d = delimiter != null ? delimiter : detect(in);
            CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(d).setTrim(true).setIgnoreEmptyLines(false)
                    .get();
            return new CsvReader(file, d, CSVParser.builder().setReader(in).setFormat(format).get());
        } catch (CharacterCodingException e) {
            in.close();
            throw notUtf8(file, e);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** The delimiter for an option's value: {@code ,} {@code ;} {@code tab} (or a tab), or null for auto/none. */
    public static Character delimiter(String option) {
        if (option == null || option.equals("auto")) {
            return null;
        }
        switch (option.toLowerCase(Locale.ROOT)) {
            case ",", "comma":
                return ',';
            case ";", "semicolon":
                return ';';
            case "\t", "tab", "\\t":
                return '\t';
            default:
                throw new IllegalArgumentException("the delimiter must be , ; tab or auto, got '" + option + "'");
        }
    }

    /** The delimiter of the header line at the reader's position (which it leaves there). */
    private static char detect(BufferedReader in) throws IOException {
        in.mark(1 << 20);
        int[] count = new int[DETECTED.length];
        boolean quoted = false;
        for (int c = in.read(); c >= 0 && (quoted || (c != '\n' && c != '\r')); c = in.read()) {
            if (c == '"') {
                quoted = !quoted;
            }
            for (int i = 0; i < DETECTED.length && !quoted; i++) {
                count[i] += c == DETECTED[i] ? 1 : 0;
            }
        }
        in.reset();
        int best = 0;
        for (int i = 1; i < DETECTED.length; i++) {
            best = count[i] > count[best] ? i : best;
        }
        return DETECTED[best];
    }

    public Path file() {
        return file;
    }

    public char delimiter() {
        return delimiter;
    }

    /** The column names, trimmed. */
    public List<String> header() {
        return header;
    }

    /** The index of a column, -1 when the header has none of that name. */
    public int column(String name) {
        return header.indexOf(name);
    }

    /** The next non-blank row, null at the end; {@link BadCsv} naming the line when it cannot be parsed. */
    public Row next() throws IOException {
        while (true) {
            long line = parser.getCurrentLineNumber() + 1;
            CSVRecord r;
            try {
                if (!records.hasNext()) {
                    return null;
                }
                r = records.next();
            } catch (UncheckedIOException e) {
                if (e.getCause() instanceof CharacterCodingException c) {
                    throw notUtf8(file, c);
                }
                throw new BadCsv(where(line) + ": " + e.getCause().getMessage(), e.getCause());
            }
            String[] fields = r.values();
            if (fields.length > 1 || !fields[0].isEmpty()) {
                return new Row(line, fields);
            }
        }
    }

    /**
     * A field as a float: with a decimal point, or, in a file whose delimiter is not a comma, a decimal comma
     * ({@code 12,5}, as Excel writes numbers in the locales that separate fields with semicolons). A field with
     * both a comma and a point, or two commas, is not a number ({@code 1.234,5} is refused); a grouping mark alone
     * ({@code 1.234} meaning 1234) cannot be told from a decimal one and reads as a decimal, so export without
     * grouping.
     */
    public float number(String field) {
        if (delimiter != ',' && field.indexOf(',') >= 0) {
            if (field.indexOf('.') >= 0 || field.indexOf(',') != field.lastIndexOf(',')) {
                throw new NumberFormatException("'" + field + "' mixes decimal and grouping marks");
            }
            return Float.parseFloat(field.replace(',', '.'));
        }
        return Float.parseFloat(field);
    }

    /** {@code FILE line N: F fields, header has H} for a row of the wrong length, else null. */
    public String fieldCountProblem(Row row) {
        return row.fields().length == header.size() ? null
                : where(row.line()) + ": " + row.fields().length + " fields, header has " + header.size();
    }

    /** {@code FILE line N}, the start of every problem with a line. */
    public String where(long line) {
        return file + " line " + line;
    }

    /** A {@link BadCsv} for a row: {@code FILE line N: problem}. */
    public BadCsv bad(Row row, String problem) {
        return new BadCsv(where(row.line()) + ": " + problem, null);
    }

    private static BadCsv notUtf8(Path file, CharacterCodingException e) {
        return new BadCsv(file + " is not UTF-8 text (a CSV file was expected): " + e, e);
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
