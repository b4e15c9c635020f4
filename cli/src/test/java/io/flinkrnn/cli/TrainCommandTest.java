package io.flinkrnn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.stepper.GuardError;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code flink-rnn train} end to end: CSV with keys and bad rows in, artifact + reports out, predict loads it. */
@Timeout(120)
class TrainCommandTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        return FlinkRnnCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    static Path history(Path dir) throws Exception {
        StringBuilder b = new StringBuilder("sensor,timestamp,load,temp\n");
        for (int t = 0; t < 400; t++) {
            for (String k : List.of("a", "b")) {
                double load = 5 + Math.sin(2 * Math.PI * t / 24.0) + (k.equals("b") ? 1 : 0);
                double temp = 20 + 3 * Math.cos(2 * Math.PI * t / 24.0);
                b.append(String.format(Locale.ROOT, "%s,%d,%.4f,%.4f%n", k, t * 3600, load, temp));
            }
            if (t == 50) {
                b.append("a,999,not-a-number,1\n").append("b,1000,1\n");
            }
        }
        Path csv = dir.resolve("history.csv");
        Files.writeString(csv, b.toString());
        return csv;
    }

    @Test
    void trainsWritesReportsAndTheSameBytesForTheSameSeed(@TempDir Path tmp) throws Exception {
        Path csv = history(tmp);
        String[] args = {"train", "--data", csv.toString(), "--key-column", "sensor", "--features", "load,temp",
            "--targets", "temp", "--cell", "gru", "--hidden", "8", "--horizon", "3", "--window", "24", "--epochs", "3",
            "--batch", "8", "--lr", "0.01", "--seed", "5", "--train-rows", "300", "--val-rows", "60",
            "--out", tmp.resolve("m1.avro").toString()};
        assertEquals(0, run(args), err.toString(StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains(" line 104: column load is not a finite number"), printed);
        assertTrue(printed.contains(" line 105: 3 fields, header has 4"), printed);
        assertTrue(printed.contains("2 series, 800 rows (2 bad rows skipped)"), printed);
        String md = Files.readString(tmp.resolve("m1.report.md"));
        assertTrue(md.contains("| validation | seasonal naive |"), md);
        assertTrue(md.contains("## Validation per key") && md.contains("| a |") && md.contains("| b |"), md);
        assertTrue(Files.readString(tmp.resolve("m1.report.json")).contains("\"lastValue\""));
        ModelArtifacts.Loaded loaded;
        try (InputStream in = Files.newInputStream(tmp.resolve("m1.avro"))) {
            loaded = ModelArtifacts.read(in, "m1");
        }
        assertEquals(List.of("load", "temp"), loaded.model.features());
        assertEquals(List.of("temp"), loaded.model.targets());
        assertEquals(3, loaded.model.steps());
        assertEquals("gru", loaded.provenance.get("training.cell"));
        assertTrue(printed.contains("train: scaling=per_key(span 500) relative-to-last") && printed.contains(
                "loss huber/0.1"), printed);
        assertEquals("huber/0.1", loaded.provenance.get("training.loss"), "the Huber loss by default under per-key"
                + " scaling");
        assertEquals(5, loaded.model.guardRecent(), "the guard's recent window by default with the guard");
        assertTrue(printed.contains(" guard(recent 5)(level 12)(evidence 1.0)(linear 2000), loss"), printed);
        assertEquals(1f, loaded.model.guardEvidence(), "the one-step evidence test by default with the guard");
        assertEquals(12, loaded.model.guardLevel(), "the guard's level by default with the guard and 3 steps");
        assertEquals(2000, loaded.model.guardLinear(), "the guard's linear model by default with the guard");
        assertEquals(GuardError.ABSOLUTE, loaded.model.rules().guard().error(), "judged as the Huber loss trains");

        args[args.length - 1] = tmp.resolve("m2.avro").toString();
        assertEquals(0, run(args));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("m1.avro")), Files.readAllBytes(tmp.resolve("m2.avro")));

        Path forecasts = tmp.resolve("f.csv");
        assertEquals(0, run("predict", "--model", tmp.resolve("m1.avro").toString(), "--data", csv.toString(),
                "--key-column", "sensor", "--out", forecasts.toString()));
        List<String> lines = Files.readAllLines(forecasts);
        assertEquals("key,timestamp,temp@1,temp@2,temp@3,temp@1:lower,temp@2:lower,temp@3:lower,temp@1:upper,"
                + "temp@2:upper,temp@3:upper,anomaly_score,raw_score,flagged,anomalous,anomaly_cause", lines.get(0),
                "the target is a feature: intervals and anomaly scores, as the job publishes them");
        assertEquals(801, lines.size());
    }

    @Test
    void aBudgetTriesCandidatesAndKeepsTheBestOnValidation(@TempDir Path tmp) throws Exception {
        Path csv = history(tmp);
        assertEquals(0, run("train", "--data", csv.toString(), "--key-column", "sensor", "--targets", "temp",
                "--hidden", "8", "--horizon", "3", "--window", "24", "--epochs", "2", "--batch", "8",
                "--train-rows", "300", "--val-rows", "60", "--budget", "120", "--candidates", "2",
                "--out", tmp.resolve("b.avro").toString()), err.toString(StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(2, printed.split("train: tried ", -1).length - 1, printed);
        assertTrue(printed.contains("train: kept "), printed);
        String md = Files.readString(tmp.resolve("b.report.md"));
        assertTrue(md.contains("## Configurations tried") && md.contains("(kept)") && md.contains("cell gru"), md);
    }

    @Test
    void guardLinearGivesTheGuardAPerKeyLinearModel(@TempDir Path tmp) throws Exception {
        Path csv = history(tmp);
        assertEquals(0, run("train", "--data", csv.toString(), "--key-column", "sensor", "--targets", "temp",
                "--hidden", "8", "--horizon", "3", "--window", "24", "--epochs", "1", "--batch", "8",
                "--train-rows", "300", "--val-rows", "60", "--guard-linear", "300", "--delimiter", "comma",
                "--out", tmp.resolve("l.avro").toString()), err.toString(StandardCharsets.UTF_8));
        try (InputStream in = Files.newInputStream(tmp.resolve("l.avro"))) {
            assertEquals(300, ModelArtifacts.read(in, "l").model.guardLinear());
        }
    }

    @Test
    void theGuardJudgesByTheErrorTheLossTrainsUnlessTold(@TempDir Path tmp) throws Exception {
        Path csv = history(tmp);
        String[][] cases = {{"--loss", "mse"}, {"--loss", "mse", "--guard-error", "absolute"},
            {"--loss", "huber", "--guard-error", "SQUARED"}, {"--loss", "mse", "--guard", "false"}};
        GuardError[] want = {GuardError.SQUARED, GuardError.ABSOLUTE, GuardError.SQUARED, GuardError.ABSOLUTE};
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new java.util.ArrayList<>(List.of("train", "--data", csv.toString(), "--key-column",
                    "sensor", "--targets", "temp", "--hidden", "4", "--horizon", "2", "--window", "12", "--epochs",
                    "1", "--batch", "8", "--train-rows", "300", "--val-rows", "60", "--guard-linear", "0", "--out",
                    tmp.resolve("g" + i + ".avro").toString()));
            args.addAll(List.of(cases[i]));
            assertEquals(0, run(args.toArray(String[]::new)), err.toString(StandardCharsets.UTF_8));
            try (InputStream in = Files.newInputStream(tmp.resolve("g" + i + ".avro"))) {
                assertEquals(want[i], ModelArtifacts.read(in, "g").model.rules().guard().error(), String.join(" ",
                        cases[i]));
            }
        }
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("(squared), loss mse"), out.toString(
                StandardCharsets.UTF_8));
        assertEquals(2, run("train", "--data", csv.toString(), "--out", "x.avro", "--guard-error", "cubed"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(
                "'--guard-error': must be one of absolute, squared, got 'cubed'"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, run("train", "--data", csv.toString(), "--key-column", "sensor", "--targets", "temp",
                "--out", "x.avro", "--guard", "false", "--guard-error", "squared"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(
                "train: judging the guard's candidates by squared error needs the guard on"),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badOptionsAreUsageErrors(@TempDir Path tmp) throws Exception {
        Path csv = history(tmp);
        assertEquals(2, run("train", "--data", csv.toString(), "--out", "x.avro", "--cell", "rnn"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("'--cell': must be one of lstm, gru, got 'rnn'"));
        assertEquals(2, run("train", "--data", csv.toString(), "--out", "x.avro", "--targets", "nope"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("has no column 'nope' (--targets)"));
        assertEquals(2, run("train", "--data", csv.toString(), "--out", "x.avro", "--train-rows", "10",
                "--val-fraction", "0.1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("give either"));
        assertEquals(2, run("train", "--data", csv.toString(), "--out", "x.avro", "--loss", "mse", "--huber-delta",
                "0.2"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--huber-delta applies to --loss huber only"));
        assertEquals(2, run("train", "--data", csv.toString(), "--out", "x.avro", "--loss", "l1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--loss"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, run("train", "--data", csv.toString(), "--out", "x.avro", "--huber-delta", "0"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("'--huber-delta': must be a number > 0"));
        assertEquals(2, run("train", "--data", csv.toString(), "--out", "x.avro", "--guard", "false",
                "--guard-recent", "5"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(
                "train: a recent window for the guard (5 forecasts) needs the guard on"));
        assertEquals(2, run("train", "--data", csv.toString(), "--out", "x.avro", "--guard-recent", "1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(
                "train: the guard's recent window must be 0 (none) or at least 2 forecasts, got 1"));
        assertEquals(2, run("train", "--data", csv.toString(), "--out", "x.avro", "--guard-recent", "-3"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("'--guard-recent': must be at least 0, got -3"));
        assertEquals(2, run("train", "--data", csv.toString(), "--out", "x.avro", "--horizon", "1",
                "--guard-level", "12"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("train: the guard's level (span 12 rows) forecasts"
                + " steps 2 and on, but the model forecasts one step"));
        assertEquals(2, run("train", "--data", csv.toString(), "--out", "x.avro", "--guard", "false",
                "--guard-evidence", "1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(
                "train: an evidence test for the guard (1.0 standard errors) needs the guard on"));
        assertEquals(2, run("train", "--data", csv.toString(), "--out", "x.avro", "--guard-evidence", "-1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("'--guard-evidence': must be a number >= 0"));
        assertEquals(2, run("train", "--data", csv.toString(), "--out", "x.avro", "--features", "load", "--targets",
                "temp", "--relative", "true"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("train: forecasts relative to the last value need"
                + " every target to be a feature"), "a rule that needs the targets observed says so before training");
        assertEquals(2, run("train", "--data", csv.toString(), "--out", "x.avro", "--guard-linear", "-1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("'--guard-linear': must be at least 0, got -1"));
        assertEquals(2, run("train", "--data", csv.toString(), "--out", "x.avro", "--guard", "false",
                "--guard-linear", "5"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(
                "train: a linear model for the guard (5 rows) needs the guard on"), err.toString(StandardCharsets.UTF_8));
        assertEquals(2, run("train", "--data", csv.toString(), "--out", "x.avro", "--guard-level", "1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(
                "train: the guard's level span must be 0 (none) or at least 2 rows, got 1"));
    }
}
