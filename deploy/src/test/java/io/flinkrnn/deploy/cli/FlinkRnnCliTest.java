package io.flinkrnn.deploy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.model.ModelArtifacts;
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

    @Test
    void benchPrintsItsResultLineLast() {
        assertEquals(0, run("bench", "--cell", "gru", "--batch", "16", "--input", "3", "--hidden", "8", "--backend",
                "java", "--threads", "1", "--seconds", "0.2", "--warmup", "0"));
        String[] lines = out.toString(StandardCharsets.UTF_8).trim().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.matches("key_steps_per_s=\\d+ gflops=[0-9.]+ cell=gru batch=16 input=3 hidden=8 layers=1"
                + " horizon=1 backend=java threads=1 .*"), last);
    }

    @Test
    void usageErrorsNameTheOptionAndExitWith2() {
        assertEquals(2, run("bench", "--hidden", "zero"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--hidden must be a whole number, got 'zero'"));
        assertEquals(2, run("bench", "--frobnicate", "1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option --frobnicate"));
        assertEquals(2, run("nope"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'nope'"));
        assertEquals(2, run("import", "--onnx", "/nonexistent.onnx", "--out", "x.avro"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("is not a file"));
    }

    @Test
    void importWritesAnArtifactTheKernelsLoad(@TempDir Path tmp) throws Exception {
        Path onnx = Paths.get(System.getProperty("golden.dir", "../../shared/golden"), "lstm-4-8-2-3-12-3-init.onnx");
        if (!Files.isRegularFile(onnx)) {
            Assumptions.assumeFalse("true".equals(System.getenv("CI")), "CI must have the golden files");
            Assumptions.abort("no golden ONNX at " + onnx);
        }
        Path artifact = tmp.resolve("m/model.avro");
        assertEquals(0, run("import", "--onnx", onnx.toString(), "--out", artifact.toString(), "--features",
                "a,b,c,d"));
        try (InputStream in = Files.newInputStream(artifact)) {
            ModelArtifacts.Loaded m = ModelArtifacts.read(in, artifact.toString());
            assertEquals("lstm F=4 H=8 L=2 horizon=3", m.model.describe());
            assertEquals(java.util.List.of("a", "b", "c", "d"), m.features);
            assertEquals("onnx", m.provenance.get("source.format"));
        }
        assertEquals(2, run("import", "--onnx", onnx.toString(), "--out", artifact.toString(), "--features", "a"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--features lists 1 names but the model has 4"));
    }
}
