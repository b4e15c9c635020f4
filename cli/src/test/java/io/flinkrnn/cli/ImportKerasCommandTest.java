package io.flinkrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinkrnn.kernels.TestEnvironment;
import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
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
 * of ../shared/keras: the forecasts of every row are the outputs recorded for the file, within 1e-4, and Keras's
 * own recorded predictions within 1e-5 (the README's numpy reference meets them within 4e-6).
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
        List<String[]> lines = CsvFields.of(forecasts);
        int column = List.of(lines.get(0)).indexOf("y@1");
        assertTrue(column > 0, List.of(lines.get(0)).toString());
        for (int t = 0; t < inputs.size(); t++) {
            float got = Float.parseFloat(lines.get(t + 1)[column]);
            assertEquals(expected.get("expected_per_prefix").get(t).get(0).floatValue(), got, 1e-4, file + " row " + t);
        }
    }

    /**
     * Keras's own predictions, one step from zero state per sample, so one key per sample; the samples reach
     * -79.27 and 76.40 in raw units, which nothing on the way to the network may clip. 1e-5 is under three float32
     * ulps of these outputs (|y| up to 38, ulp 3.8e-6): Keras computed them in float32 too.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dl4j-keras2-lstm/simple_flatten_lstm_tf_keras_2", "dl4j-keras1-lstm/simple_lstm_tf_keras_1"})
    void everyKerasRecordedPredictionComesOutOfPredictAsItsOwnKey(String stem, @TempDir Path tmp) throws Exception {
        float[] x;
        float[] y;
        try (HdfFile io = HdfFile.fromBytes(Files.readAllBytes(TestEnvironment.keras(stem + "_inputs_and_outputs.h5")))) {
            x = (float[]) ((Dataset) ((Group) io.getChild("inputs")).getChildren().values().iterator().next())
                    .getDataFlat();
            y = (float[]) ((Dataset) ((Group) io.getChild("predictions")).getChildren().values().iterator().next())
                    .getDataFlat();
        }
        assertEquals(x.length, y.length, "one input value and one prediction per sample");
        Path model = tmp.resolve("model.avro");
        String[] r = run("import", "--keras", TestEnvironment.keras(stem + "_model.h5").toString(), "--out",
                model.toString());
        assertEquals("0", r[0], r[2]);
        StringBuilder csv = new StringBuilder("key,timestamp,feature1\n");
        for (int i = 0; i < x.length; i++) {
            csv.append("sample").append(i).append(",0,").append(x[i]).append('\n');
        }
        Path data = tmp.resolve("samples.csv");
        Files.writeString(data, csv);
        Path forecasts = tmp.resolve("f.csv");
        r = run("predict", "--model", model.toString(), "--data", data.toString(), "--key-column", "key", "--out",
                forecasts.toString());
        assertEquals("0", r[0], r[2]);
        List<String[]> lines = CsvFields.of(forecasts);
        int column = List.of(lines.get(0)).indexOf("y@1");
        assertEquals(x.length + 1, lines.size(), "a forecast for every sample");
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            String[] line = lines.get(i + 1);
            assertEquals("sample" + i, line[0]);
            float got = Float.parseFloat(line[column]);
            assertEquals(y[i], got, 1e-5, stem + " sample " + i + " (input " + x[i] + ")");
            worst = Math.max(worst, Math.abs(got - y[i]));
        }
        System.out.printf("import_predict_keras file=%s samples=%d worst_abs_diff=%.2e%n", stem, x.length, worst);
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
