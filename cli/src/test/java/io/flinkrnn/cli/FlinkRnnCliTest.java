package io.flinkrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's contract: the bench line format, import, and clear usage errors with exit status 2. */
class FlinkRnnCliTest {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        return FlinkRnnCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** The golden 2-layer LSTM export; skipped without the golden folder, except under CI. */
    static Path goldenOnnx() {
        Path onnx = Paths.get(System.getProperty("golden.dir", "../../shared/golden"), "lstm-4-8-2-3-12-3-init.onnx");
        if (!Files.isRegularFile(onnx)) {
            Assumptions.assumeFalse("true".equals(System.getenv("CI")), "CI must have the golden files");
            Assumptions.abort("no golden ONNX at " + onnx);
        }
        return onnx;
    }

    @Test
    void benchPrintsItsResultLineLast() {
        assertEquals(0, run("bench", "--cell", "gru", "--batch", "16", "--input", "3", "--hidden", "8", "--backend",
                "java", "--threads", "1", "--seconds", "0.2", "--warmup", "0"));
        String[] lines = out.toString(StandardCharsets.UTF_8).trim().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.matches("key_steps_per_s=\\d+ gflops=[0-9.]+ cell=gru batch=16 input=3 hidden=8 layers=1"
                + " outputs=1 backend=java threads=1 .*"), last);
    }

    @Test
    void benchComparesThreadCountsRoundByRoundInOneJvm() {
        assertEquals(0, run("bench", "--cell", "lstm", "--batch", "64", "--input", "2", "--hidden", "8",
                "--compare-threads", "1,2", "--rounds", "2", "--seconds", "0.1", "--warmup", "0"));
        String text = out.toString(StandardCharsets.UTF_8);
        for (String t : new String[] {"1", "2"}) {
            for (String r : new String[] {"1", "2"}) {
                assertTrue(text.matches("(?s).*key_steps_per_s=\\d+ [^\n]* threads=" + t + " [^\n]* round=" + r + "\n.*"),
                        "threads " + t + " round " + r + " in:\n" + text);
            }
        }
        assertTrue(text.contains("bench: threads 2 / threads 1: median of 2 rounds "), text);
        String[] lines = text.trim().split("\n");
        assertTrue(lines[lines.length - 1].matches("key_steps_per_s=\\d+ gflops=[0-9.]+ cell=lstm batch=64 .*"
                + " backend=java threads=2 .* rounds=2"), lines[lines.length - 1]);
        assertEquals(2, run("bench", "--compare-threads", "1,x"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("'--compare-threads' (T): must be a whole number, got 'x'"),
                err.toString(StandardCharsets.UTF_8));
    }

    /** The ceiling run: two one-thread backends stepping at once, reported beside the 2-thread backend. */
    @Test
    void benchSetsThreadsBesideIndependentOneThreadBackends() {
        assertEquals(0, run("bench", "--cell", "gru", "--batch", "64", "--input", "2", "--hidden", "8",
                "--compare-threads", "1,2", "--rounds", "2", "--seconds", "0.1", "--warmup", "0", "--independent",
                "true"));
        String text = out.toString(StandardCharsets.UTF_8);
        for (String r : new String[] {"1", "2"}) {
            assertTrue(text.matches("(?s).*bench: round " + r + ": 2 independent 1-thread backends at once:"
                    + " key_steps_per_s=[1-9]\\d*\n.*"), "round " + r + " in:\n" + text);
        }
        assertTrue(text.contains("bench: 2 independent 1-thread backends / threads 1: median of 2 rounds "), text);
        assertTrue(text.contains("bench: threads 2 / 2 independent 1-thread backends: median of 2 rounds "), text);
        String[] lines = text.trim().split("\n");
        assertTrue(lines[lines.length - 1].matches("key_steps_per_s=\\d+ .* threads=2 .* rounds=2"),
                lines[lines.length - 1]);
    }

    @Test
    void compareThreadsNeedsTwoCounts() {
        assertEquals(2, run("bench", "--compare-threads", "2"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--compare-threads needs at least two counts"));
    }

    @Test
    void usageErrorsNameTheOptionAndExitWith2() {
        assertEquals(2, run("bench", "--hidden", "zero"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("'--hidden': must be a whole number, got 'zero'"));
        assertEquals(2, run("bench", "--frobnicate", "1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Unknown options: '--frobnicate'"));
        assertEquals(2, run("nope"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'nope'"));
        assertEquals(2, run("import", "--onnx", "/nonexistent.onnx", "--out", "x.avro"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is not a file"));
    }

    @Test
    void predictReplaysPerKeyInInputOrderAndSkipsBadRowsWithLineNumbers(@TempDir Path tmp) throws Exception {
        Path onnx = goldenOnnx();
        Path artifact = tmp.resolve("model.avro");
        assertEquals(0, run("import", "--onnx", onnx.toString(), "--out", artifact.toString(), "--features",
                "f1,f2,f3,f4", "--targets", "load"));
        StringBuilder csv = new StringBuilder("timestamp,key,f1,f2,f3,f4\n");
        java.util.List<String[]> good = new java.util.ArrayList<>();
        for (int t = 0; t < 30; t++) {
            for (String k : new String[] {"a", "b"}) {
                String[] row = {"2024-01-01T00:" + String.format("%02d", t) + ":00Z", k, "" + (t * 0.1f),
                        "" + (k.equals("a") ? 1f : -1f), "" + (float) Math.sin(t), "0.5"};
                csv.append(String.join(",", row)).append('\n');
                good.add(row);
            }
            if (t == 4) {
                csv.append("2024-01-01T00:04:30Z,a,1,2,three,4\n");
                csv.append("2024-01-01T00:04:40Z,b,1,2\n");
            }
        }
        Path data = tmp.resolve("in.csv");
        Files.writeString(data, csv.toString());
        Path result = tmp.resolve("out/forecasts.csv");
        assertEquals(0, run("predict", "--model", artifact.toString(), "--data", data.toString(), "--key-column",
                "key", "--out", result.toString(), "--batch", "7"));
        String errors = out.toString(StandardCharsets.UTF_8);
        assertTrue(errors.contains("line 12: column f3 is not a finite number: 'three'"), errors);
        assertTrue(errors.contains("line 13: 4 fields, header has 6"), errors);
        java.util.List<String> lines = Files.readAllLines(result);
        java.util.List<String[]> fields = CsvFields.of(result);
        assertEquals("key,timestamp,load@1,load@2,load@3", lines.get(0));
        assertEquals(good.size() + 1, lines.size(), "every good row, and only those");
        io.flinkrnn.kernels.model.RnnModel model;
        try (InputStream in = Files.newInputStream(artifact)) {
            model = ModelArtifacts.read(in, "m").network();
        }
        java.util.Map<String, float[]> states = new java.util.HashMap<>();
        try (var backend = new io.flinkrnn.kernels.cpu.CpuStepBackend(model, 1, "reference")) {
            for (int r = 0; r < good.size(); r++) {
                String[] row = good.get(r);
                float[] x = new float[4];
                for (int j = 0; j < 4; j++) {
                    x[j] = Float.parseFloat(row[2 + j]);
                }
                float[] y = new float[3];
                backend.step(1, x, states.computeIfAbsent(row[1], k -> new float[model.stateSize()]), y);
                String[] got = fields.get(r + 1);
                assertEquals(row[1], got[0], "input order kept");
                assertEquals(row[0], got[1]);
                for (int j = 0; j < 3; j++) {
                    assertEquals(y[j], Float.parseFloat(got[2 + j]), 0f, "row " + r + " output " + j);
                }
            }
        }
    }

    @Test
    void importWritesAnArtifactTheKernelsLoad(@TempDir Path tmp) throws Exception {
        Path onnx = goldenOnnx();
        Path artifact = tmp.resolve("m/model.avro");
        assertEquals(0, run("import", "--onnx", onnx.toString(), "--out", artifact.toString(), "--features",
                "a,b,c,d"));
        try (InputStream in = Files.newInputStream(artifact)) {
            ModelArtifacts.Loaded m = ModelArtifacts.read(in, artifact.toString());
            assertEquals("lstm F=4 H=8 L=2 outputs=3", m.network().describe());
            assertEquals(3, m.model.steps(), "one target y, three steps");
            assertEquals(java.util.List.of("a", "b", "c", "d"), m.model.features());
            assertEquals("onnx", m.provenance.get("source.format"));
        }
        assertEquals(2, run("import", "--onnx", onnx.toString(), "--out", artifact.toString(), "--features", "a"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--features lists 1 names but the model has 4"));
    }
}
