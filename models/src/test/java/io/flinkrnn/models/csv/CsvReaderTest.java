package io.flinkrnn.models.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvReaderTest {
    @TempDir
    Path tmp;

    private Path write(String name, String text) throws Exception {
        Path f = tmp.resolve(name);
        Files.write(f, text.getBytes(StandardCharsets.UTF_8));
        return f;
    }

    private static List<CsvReader.Row> rows(CsvReader r) throws Exception {
        List<CsvReader.Row> out = new ArrayList<>();
        for (CsvReader.Row row = r.next(); row != null; row = r.next()) {
            out.add(row);
        }
        return out;
    }

    @Test
    void aQuotedFieldKeepsItsCommaAndDoubledQuotes() throws Exception {
        try (CsvReader r = CsvReader.open(write("q.csv", "location,date,v\n\"Seattle, WA\",2012-01-01,1.5\n"
                + "\"say \"\"hi\"\"\",2012-01-02,2\n"), null)) {
            List<CsvReader.Row> rows = rows(r);
            assertArrayEquals(new String[] {"Seattle, WA", "2012-01-01", "1.5"}, rows.get(0).fields());
            assertEquals("say \"hi\"", rows.get(1).fields()[0]);
            assertEquals(',', r.delimiter());
        }
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstColumnName() throws Exception {
        try (CsvReader r = CsvReader.open(write("bom.csv", "\uFEFFtimestamp,value\n1,2\n"), null)) {
            assertEquals(List.of("timestamp", "value"), r.header());
            assertEquals(0, r.column("timestamp"));
        }
    }

    @Test
    void crlfLineEndsLeaveNoCarriageReturnsAndCountLinesAsLf() throws Exception {
        try (CsvReader r = CsvReader.open(write("crlf.csv", "a,b\r\n1,2\r\n\r\n3,4\r\n"), null)) {
            List<CsvReader.Row> rows = rows(r);
            assertEquals(2, rows.size(), "the blank line is skipped");
            assertArrayEquals(new String[] {"3", "4"}, rows.get(1).fields());
            assertEquals(List.of(2L, 4L), List.of(rows.get(0).line(), rows.get(1).line()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "comma|a,b;c,d|,",
        "semicolon (SKAB, Excel)|datetime;Volume Flow RateRMS;anomaly|;",
        "tab|a\tb\tc|tab",
        "quoted semicolons do not count|\"x;y\",\"z;w\",v|,",
        "a single column is comma|value|,"})
    void theDelimiterIsDetectedFromTheHeaderLine(String what, String header, String expected) throws Exception {
        try (CsvReader r = CsvReader.open(write("d.csv", header + "\n"), null)) {
            assertEquals(CsvReader.delimiter(expected), r.delimiter(), what);
        }
    }

    @Test
    void skabsSemicolonCrlfFilesReadByDetectionAlone() throws Exception {
        Path run = io.flinkrnn.kernels.TestEnvironment.data("skab/valve1/0.csv");
        try (CsvReader r = CsvReader.open(run, null)) {
            assertEquals(';', r.delimiter());
            assertEquals("datetime", r.header().get(0));
            assertTrue(r.header().contains("Volume Flow RateRMS"), r.header().toString());
            List<CsvReader.Row> rows = rows(r);
            assertTrue(rows.size() > 1000, "rows: " + rows.size());
            for (CsvReader.Row row : rows) {
                assertNull(r.fieldCountProblem(row));
                assertTrue(!row.fields()[row.fields().length - 1].contains("\r"), "no carriage return left");
            }
            assertEquals("2020-03-09 10:14:33", rows.get(0).fields()[0]);
        }
    }

    @Test
    void anExplicitDelimiterWinsOverDetection() throws Exception {
        try (CsvReader r = CsvReader.open(write("x.csv", "a;b,c\n1;2,3\n"), CsvReader.delimiter(","))) {
            assertEquals(List.of("a;b", "c"), r.header());
        }
        assertEquals('\t', CsvReader.delimiter("tab"));
        assertNull(CsvReader.delimiter("auto"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CsvReader.delimiter("|")).getMessage()
                .contains("must be , ; tab or auto"));
    }

    @Test
    void aSemicolonFileMayWriteDecimalCommasButACommaFileMayNot() throws Exception {
        try (CsvReader r = CsvReader.open(write("de.csv", "a;b\n12,5;-0,25\n"), null)) {
            String[] f = r.next().fields();
            assertEquals(12.5f, r.number(f[0]));
            assertEquals(-0.25f, r.number(f[1]));
            assertEquals(3.5f, r.number("3.5"), "a decimal point reads in any file");
            assertThrows(NumberFormatException.class, () -> r.number("1.234,5"), "grouping is refused, not misread");
            assertThrows(NumberFormatException.class, () -> r.number("1,234,5"));
        }
        try (CsvReader r = CsvReader.open(write("en.csv", "a,b\n\"12,5\",1\n"), null)) {
            assertThrows(NumberFormatException.class, () -> r.number(r.next().fields()[0]),
                    "in a comma file 12,5 is no number");
        }
    }

    @Test
    void aRaggedLineIsNamedByFileAndLine() throws Exception {
        Path f = write("x.csv", "a,b,c,d\n1,2,3,4\n1,2,3\n");
        try (CsvReader r = CsvReader.open(f, null)) {
            assertNull(r.fieldCountProblem(r.next()));
            assertEquals(f + " line 3: 3 fields, header has 4", r.fieldCountProblem(r.next()));
        }
    }

    @Test
    void aLineNumberCountsTheLinesOfAMultiLineQuotedField() throws Exception {
        try (CsvReader r = CsvReader.open(write("m.csv", "note,v\n\"two\nlines\",1\nplain,2\n"), null)) {
            assertEquals("two\nlines", r.next().fields()[0]);
            assertEquals(4, r.next().line());
        }
    }

    @Test
    void anUnclosedQuoteAnEmptyFileAndBinaryDataAreOneLineNamingTheFile() throws Exception {
        Path open = write("open.csv", "a,b\n1,2\n\"3,4\n");
        Exception e = assertThrows(CsvReader.BadCsv.class, () -> {
            try (CsvReader r = CsvReader.open(open, null)) {
                rows(r);
            }
        });
        assertTrue(e.getMessage().startsWith(open + " line 3: "), e.getMessage());
        Path empty = write("empty.csv", "");
        assertEquals(empty + " is empty (a header row is required)",
                assertThrows(CsvReader.BadCsv.class, () -> CsvReader.open(empty, null)).getMessage());
        Path bin = tmp.resolve("bin.csv");
        Files.write(bin, new byte[] {'a', ',', 'b', '\n', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '\n'});
        e = assertThrows(CsvReader.BadCsv.class, () -> {
            try (CsvReader r = CsvReader.open(bin, null)) {
                rows(r);
            }
        });
        assertTrue(e.getMessage().startsWith(bin + " is not UTF-8 text"), e.getMessage());
    }
}
