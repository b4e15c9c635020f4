package io.flinkrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinkrnn.kernels.TestEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code flink-rnn import --keras} then {@code flink-rnn predict}, as a user runs them, on the real Keras files
 * of ../shared/keras: the forecasts of every row are the outputs recorded for the file, within 1e-4.
 */
class ImportKerasCommandTest {
    static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = FlinkRnnCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8)};
    }

    @ParameterizedTest
    @ValueSource(strings = {"tsrnn/gru_32.hdf5", "tsrnn/lstm_32.hdf5", "deepaqi/lstm_model_delhi.keras"})
    void importedThenPredictedRowByRowGivesTheRecordedOutputs(String file, @TempDir Path tmp) throws Exception {
        JsonNode expected = new ObjectMapper().readTree(TestEnvironment.keras(file.replaceFirst("\\.(hdf5|keras)$",
                ".expected.json")).toFile());
        Path model = tmp.resolve("model.avro");
        String[] r = run("import", "--keras", TestEnvironment.keras(file).toString(), "--out", model.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].startsWith("import: "), r[1]);
        JsonNode inputs = expected.get("inputs");
        int features = inputs.get(0).size();
        StringBuilder csv = new StringBuilder("timestamp");
        for (int f = 1; f <= features; f++) {
            csv.append(",feature").append(f);
        }
        csv.append('\n');
        for (int t = 0; t < inputs.size(); t++) {
            csv.append(t * 3600);
            for (JsonNode x : inputs.get(t)) {
                csv.append(',').append(x.floatValue());
            }
            csv.append('\n');
        }
        Path data = tmp.resolve("rows.csv");
        Files.writeString(data, csv);
        Path forecasts = tmp.resolve("f.csv");
        r = run("predict", "--model", model.toString(), "--data", data.toString(), "--out", forecasts.toString(),
                "--coverage", "0");
        assertEquals("0", r[0], r[2]);
        List<String> lines = Files.readAllLines(forecasts);
        int column = List.of(lines.get(0).split(",")).indexOf("y@1");
        assertTrue(column > 0, lines.get(0));
        for (int t = 0; t < inputs.size(); t++) {
            float got = Float.parseFloat(lines.get(t + 1).split(",")[column]);
            assertEquals(expected.get("expected_per_prefix").get(t).get(0).floatValue(), got, 1e-4, file + " row " + t);
        }
    }

    @Test
    void aModelOutsideTheEnvelopeIsRefusedInOneLine(@TempDir Path tmp) {
        String[] r = run("import", "--keras", TestEnvironment.keras("frugally-deep/temp_stateless.h5").toString(),
                "--out", tmp.resolve("m.avro").toString());
        assertEquals("1", r[0]);
        assertTrue(r[2].startsWith("flink-rnn import failed: ") && r[2].contains("the model has 2 inputs")
                && r[2].strip().lines().count() == 1, r[2]);
        r = run("import", "--keras", "none.h5", "--out", tmp.resolve("m.avro").toString());
        assertEquals("2", r[0]);
        assertTrue(r[2].contains("--keras none.h5 is not a file"), r[2]);
    }
}
