package io.flinkrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.TestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code flink-rnn detect} end to end on real NAB files: results layout, no look-ahead, NAB scoring. */
@Timeout(300)
class DetectCommandTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        out.reset();
        return FlinkRnnCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** The first {@code rows} rows of a real NAB file, into {@code dir/category/name}. */
    static Path head(Path dir, String file, int rows) throws Exception {
        List<String> lines = Files.readAllLines(TestEnvironment.data("nab/data/" + file));
        Path p = dir.resolve(file);
        Files.createDirectories(p.getParent());
        Files.write(p, lines.subList(0, Math.min(lines.size(), rows + 1)));
        return p;
    }

    static List<String> results(Path out, String category, String name) throws Exception {
        return Files.readAllLines(out.resolve(category).resolve("flinkrnn_" + name));
    }

    @Test
    void writesNabResultsWithoutLookAheadAndScoresThem(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        head(data, "realKnownCause/ambient_temperature_system_failure.csv", 1500);
        head(data, "artificialWithAnomaly/art_daily_jumpsup.csv", 1500);
        Path full = tmp.resolve("full");
        assertEquals(0, run("detect", "--data", data.toString(), "--train-rows", "400", "--out", full.toString()),
                err.toString(StandardCharsets.UTF_8));
        List<String> a = results(full, "realKnownCause", "ambient_temperature_system_failure.csv");
        assertEquals("timestamp,value,anomaly_score,flagged,raw_score,forecast,lower,upper,anomalous,anomaly_cause,"
                + "signal_score,score_value", a.get(0));
        assertEquals(1501, a.size(), "one row per data row");
        List<String[]> scored = CsvFields.of(full.resolve("realKnownCause")
                .resolve("flinkrnn_ambient_temperature_system_failure.csv"));
        for (String[] line : scored.subList(1, scored.size())) {
            float s = Float.parseFloat(line[2]);
            assertTrue(s >= 0 && s <= 1, "scores in [0, 1]: " + List.of(line));
        }
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("interval coverage"));

        // The same file cut after row 900: its first 900 scores are the same bits.
        Path cut = tmp.resolve("cut");
        head(cut, "realKnownCause/ambient_temperature_system_failure.csv", 900);
        Path cutOut = tmp.resolve("cut-out");
        assertEquals(0, run("detect", "--data", cut.toString(), "--train-rows", "400", "--out", cutOut.toString()));
        List<String> c = results(cutOut, "realKnownCause", "ambient_temperature_system_failure.csv");
        assertEquals(901, c.size());
        assertEquals(a.subList(0, 901), c, "no look-ahead: a row's score uses only the rows up to it");

        // Labels in NAB's format: one window on the jump of art_daily_jumpsup, none on the other file.
        Path labels = tmp.resolve("windows.json");
        List<String[]> jumpsUp = CsvFields.of(data.resolve("artificialWithAnomaly/art_daily_jumpsup.csv"));
        String[] jump = jumpsUp.get(1000);
        String[] end = jumpsUp.get(1100);
        Files.writeString(labels, "{\"realKnownCause/ambient_temperature_system_failure.csv\": [],"
                + " \"artificialWithAnomaly/art_daily_jumpsup.csv\": [[\"" + jump[0] + ".000000\", \"" + end[0]
                + ".000000\"]]}");
        assertEquals(0, run("detect", "--score-only", full.toString(), "--detector", "flinkrnn", "--labels",
                labels.toString(), "--out", full.toString()));
        String printed = out.toString(StandardCharsets.UTF_8).trim();
        String last = printed.substring(printed.lastIndexOf('\n') + 1);
        assertTrue(last.matches("nab standard=-?[0-9.]+ low_fp=-?[0-9.]+ low_fn=-?[0-9.]+"), last);
        assertTrue(Files.exists(full.resolve("flinkrnn-nab-score.md")));
    }

    @Test
    void aSemicolonFileWithLabelColumnsIsScoredOnEveryTargetAndEvaluatedPerRunAndOverall(@TempDir Path tmp)
            throws Exception {
        // SKAB's layout, read by detection alone (no --time-column, no --delimiter): ';', a time column 'datetime',
        // two sensors, then the label and change point columns. Run 0: 500 rows of noise, then b held high for 100 rows (labelled), then 100 normal rows.
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(2);
        Path data = tmp.resolve("skab");
        Files.createDirectories(data);
        StringBuilder csv = new StringBuilder("datetime;a;b sensor;anomaly;changepoint\n");
        for (int r = 0; r < 700; r++) {
            boolean fault = r >= 500 && r < 600;
            csv.append(String.format(java.util.Locale.ROOT, "2020-03-09 10:%02d:%02d;%.4f;%.4f;%s;%s%n", r / 60,
                    r % 60, 1 + 0.1 * rnd.nextGaussian(), 5 + 0.2 * rnd.nextGaussian() + (fault ? 2 : 0),
                    fault ? "1.0" : "0.0", r == 500 || r == 600 ? "1.0" : "0.0"));
        }
        Files.writeString(data.resolve("0.csv"), csv);
        Path o = tmp.resolve("out");
        assertEquals(0, run("detect", "--data", data.toString(), "--train-rows", "400",
                "--forecaster", "last-value", "--label-column", "anomaly", "--changepoint-column", "changepoint",
                "--top1", "0", "--out", o.toString()), err.toString(StandardCharsets.UTF_8));
        List<String> rows = Files.readAllLines(o.resolve("flinkrnn_0.csv"));
        assertEquals("timestamp,value,anomaly_score,flagged,raw_score,forecast,lower,upper,anomalous,anomaly_cause,"
                + "signal_score,score_a,score_b_sensor", rows.get(0));
        assertEquals(701, rows.size());
        String[] fault = CsvFields.of(o.resolve("flinkrnn_0.csv")).get(1 + 550);
        assertEquals("1", fault[8], "anomalous inside the fault");
        assertEquals("b sensor", fault[9], "the cause is the sensor that moved");
        String printed = out.toString(StandardCharsets.UTF_8);
        // The fault is anomalous from its first row until 39 rows after it (the hold of 40): 100 TP, 39 FP of 200
        // normal rows; precision 100/139, recall 1, F1 = 200/239 = 0.837; FAR 39/200.
        assertTrue(printed.contains("flinkrnn_0.csv rows=700 train_rows=400"), printed);
        assertTrue(printed.contains("f1=0.837 far=19.50% mar=0.00%"), printed);
        // The fault's first row is the last value's largest miss by far and a new extreme: both scores peak on it,
        // and the later new extremes, smaller jumps, score under it (they all tied at 1 while a new extreme scored 1).
        assertTrue(printed.contains("top1: flinkrnn_0.csv anomaly_score row=500 ties=1 hit=1 raw_score row=500"
                + " ties=1 hit=1\ntop1 rows=0 files=1 anomaly_score=1/1 raw_score=1/1\n"), printed);
        String last = printed.trim().substring(printed.trim().lastIndexOf('\n') + 1);
        assertTrue(last.matches("outliers f1=0.837 far=19.50 mar=0.00 changepoint=[0-9.]+"), last);
    }

    @Test
    void scoreOnlyReproducesThePublishedNumentaScore() throws Exception {
        assertEquals(0, run("detect", "--score-only", TestEnvironment.data("nab/results/numenta").toString(),
                "--detector", "numenta", "--labels", TestEnvironment.data("nab/labels/combined_windows.json")
                        .toString()), err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).trim().endsWith("nab standard=70.10 low_fp=63.21 low_fn=74.32"),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void topOneOfPublishedResultsCountsTheFilesWithWindowsAndJudgesTheColumnsTheyHave() throws Exception {
        Path numenta = TestEnvironment.data("nab/results/numenta");
        assertEquals(0, run("detect", "--score-only", numenta.toString(), "--detector", "numenta", "--labels",
                TestEnvironment.data("nab/labels/combined_windows.json").toString(), "--top1", "100"),
                err.toString(StandardCharsets.UTF_8));
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        // 52 of NAB's 58 files have windows; Numenta's results have no raw_score, so only anomaly_score is judged.
        assertEquals(52, lines.stream().filter(l -> l.startsWith("top1: ")).count());
        assertTrue(lines.contains("top1 rows=100 files=52 anomaly_score=38/52"), String.join("\n", lines));
        assertEquals("nab standard=70.10 low_fp=63.21 low_fn=74.32", lines.get(lines.size() - 1), "NAB's line last");
        // No margin: the peak must lie inside a window itself (5 of those 38 lie just outside).
        assertEquals(0, run("detect", "--score-only", numenta.toString(), "--detector", "numenta", "--labels",
                TestEnvironment.data("nab/labels/combined_windows.json").toString(), "--top1", "0"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("\ntop1 rows=0 files=52 anomaly_score=33/52\n"));
    }

    @Test
    void topOneWithoutLabelsIsAUsageError(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        head(data, "realKnownCause/ambient_temperature_system_failure.csv", 100);
        assertEquals(2, run("detect", "--data", data.toString(), "--train-rows", "50", "--top1", "100", "--out",
                tmp.resolve("o").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--top1 needs labels"), err.toString(
                StandardCharsets.UTF_8));
    }

    @Test
    void aMissingModeIsAUsageErrorNamingTheOptions(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        head(data, "realKnownCause/ambient_temperature_system_failure.csv", 100);
        assertEquals(2, run("detect", "--data", data.toString(), "--out", tmp.resolve("o").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--probation nab, --train-rows N, --train-fraction X"));
    }
}
