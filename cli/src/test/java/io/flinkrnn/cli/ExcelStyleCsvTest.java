package io.flinkrnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.TestEnvironment;
import io.flinkrnn.models.csv.CsvReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real weather series (../shared/data/weather/weather.csv: location, date, ..., weather) written the way Excel
 * writes it in a semicolon locale (a byte-order mark, CRLF, ';' between fields, decimal commas, every text field
 * quoted, and the location spelled "Seattle, WA") trains and predicts exactly as the plain file does: the same
 * forecasts, bit for bit, row for row.
 */
@Timeout(300)
class ExcelStyleCsvTest {
    private static final Map<String, String> PLACES = Map.of("Seattle", "Seattle, WA", "New York", "New York, NY");

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        return FlinkRnnCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** The plain file as Excel would save it; every line has the same fields, only spelled differently. */
    static Path excelStyle(Path plain, Path dir) throws Exception {
        StringBuilder b = new StringBuilder("\uFEFF");
        try (CsvReader csv = CsvReader.open(plain, ',')) {
            b.append(String.join(";", csv.header())).append("\r\n");
            int location = csv.column("location");
            int weather = csv.column("weather");
            for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
                String[] f = row.fields().clone();
                f[location] = "\"" + PLACES.getOrDefault(f[location], f[location]) + "\"";
                f[weather] = "\"" + f[weather] + "\"";
                for (int i = 0; i < f.length; i++) {
                    f[i] = f[i].matches("-?[0-9]+\\.[0-9]+") ? f[i].replace('.', ',') : f[i];
                }
                b.append(String.join(";", f)).append("\r\n");
            }
        }
        Path excel = dir.resolve("weather-excel.csv");
        Files.write(excel, b.toString().getBytes(StandardCharsets.UTF_8));
        return excel;
    }

    private Path trainAndPredict(Path data, Path dir, String... delimiter) throws Exception {
        Files.createDirectories(dir);
        Path model = dir.resolve("model.avro");
        List<String> train = new ArrayList<>(List.of("train", "--data", data.toString(), "--key-column", "location",
                "--features", "temp_max,wind", "--targets", "temp_max", "--hidden", "8", "--horizon", "3",
                "--window", "32", "--epochs", "2", "--batch", "16", "--seed", "3", "--threads", "1", "--out",
                model.toString()));
        train.addAll(List.of(delimiter));
        assertEquals(0, run(train.toArray(new String[0])), err.toString(StandardCharsets.UTF_8));
        Path forecasts = dir.resolve("forecasts.csv");
        List<String> predict = new ArrayList<>(List.of("predict", "--model", model.toString(), "--data",
                data.toString(), "--key-column", "location", "--threads", "1", "--out", forecasts.toString()));
        predict.addAll(List.of(delimiter));
        assertEquals(0, run(predict.toArray(new String[0])), err.toString(StandardCharsets.UTF_8));
        return forecasts;
    }

    private static List<String[]> rows(Path forecasts) throws Exception {
        List<String[]> rows = new ArrayList<>();
        try (CsvReader csv = CsvReader.open(forecasts, ',')) {
            rows.add(csv.header().toArray(new String[0]));
            for (CsvReader.Row row = csv.next(); row != null; row = csv.next()) {
                assertEquals(null, csv.fieldCountProblem(row));
                rows.add(row.fields());
            }
        }
        return rows;
    }

    @Test
    void anExcelStyleCsvGivesBitIdenticalForecastsToThePlainOneThroughTrainAndPredict(@TempDir Path tmp)
            throws Exception {
        Path plain = TestEnvironment.data("weather/weather.csv");
        Path excel = excelStyle(plain, tmp);
        List<String[]> expected = rows(trainAndPredict(plain, tmp.resolve("plain")));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("train: 2 series, 2922 rows (0 bad rows skipped)"), printed);
        assertEquals(1 + 2922, expected.size(), "a forecast per row");
        for (String[] delimiter : List.of(new String[0], new String[] {"--delimiter", ";"})) {
            out.reset();
            List<String[]> got = rows(trainAndPredict(excel, tmp.resolve("excel" + delimiter.length), delimiter));
            printed = out.toString(StandardCharsets.UTF_8);
            assertTrue(printed.contains("train: 2 series, 2922 rows (0 bad rows skipped)"), printed);
            assertEquals(expected.size(), got.size());
            assertArrayEquals(expected.get(0), got.get(0), "the same columns");
            for (int r = 1; r < expected.size(); r++) {
                String[] e = expected.get(r);
                String[] g = got.get(r);
                assertEquals(PLACES.get(e[0]), g[0], "the key, comma and all, row " + r);
                assertArrayEquals(List.of(e).subList(1, e.length).toArray(), List.of(g).subList(1, g.length)
                        .toArray(), "row " + r);
            }
        }
    }

    @Test
    void aWrongDelimiterOptionIsAUsageError(@TempDir Path tmp) throws Exception {
        assertEquals(2, run("train", "--data", TestEnvironment.data("weather/weather.csv").toString(),
                "--delimiter", "|", "--out", tmp.resolve("m.avro").toString()));
        String printed = err.toString(StandardCharsets.UTF_8);
        assertTrue(printed.startsWith("flink-rnn train: Invalid value for option '--delimiter': the delimiter must be"
                + " , ; tab or auto, got '|'"), printed);
    }
}
