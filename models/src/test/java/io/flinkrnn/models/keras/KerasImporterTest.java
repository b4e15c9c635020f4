package io.flinkrnn.models.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinkrnn.kernels.StepBackend;
import io.flinkrnn.kernels.TestEnvironment;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GateActivation;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import io.jhdf.HdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real Keras-written files of ../shared/keras: each importable one reproduces the outputs recorded for it
 * (by Keras itself, or by the independent numpy reference) within 1e-4 when stepped row by row from zero
 * state, as the stream steps a key; the one outside the envelope is refused with its reason.
 */
class KerasImporterTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static KerasImporter.Imported load(String file) throws Exception {
        Path p = TestEnvironment.keras(file);
        return KerasImporter.importModel(Files.readAllBytes(p), p.toString());
    }

    /** The model's output after each prefix of {@code inputs} ([T][F]), from zero state. */
    static float[][] prefixes(RnnModel m, float[][] inputs) {
        float[][] out = new float[inputs.length][m.outputSize()];
        float[] state = new float[m.stateSize()];
        try (StepBackend b = new CpuStepBackend(m, 1, "test")) {
            for (int t = 0; t < inputs.length; t++) {
                b.step(1, inputs[t], state, out[t]);
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tsrnn/gru_32.hdf5", "tsrnn/lstm_32.hdf5", "deepaqi/lstm_model_delhi.keras"})
    void reproducesTheReferenceOutputsAfterEveryPrefix(String file) throws Exception {
        KerasImporter.Imported imported = load(file);
        JsonNode expected = JSON.readTree(TestEnvironment.keras(file.replaceFirst("\\.(hdf5|keras)$", ".expected.json"))
                .toFile());
        float[][] inputs = JSON.treeToValue(expected.get("inputs"), float[][].class);
        float[][] want = JSON.treeToValue(expected.get("expected_per_prefix"), float[][].class);
        float[][] got = prefixes(imported.model(), inputs);
        double worst = 0;
        for (int t = 0; t < want.length; t++) {
            for (int o = 0; o < want[t].length; o++) {
                worst = Math.max(worst, Math.abs(want[t][o] - got[t][o]));
            }
        }
        assertTrue(worst < 1e-4, file + ": worst difference " + worst);
        System.out.printf("keras_import file=%s keras=%s layers=\"%s\" worst_abs_diff=%.2e%n", file,
                imported.kerasVersion(), imported.layers(), worst);
    }

    @Test
    void theConventionsOfEachFileAreRead() throws Exception {
        RnnModel gru = load("tsrnn/gru_32.hdf5").model();
        assertEquals(CellType.GRU, gru.cell());
        assertEquals(GruResetMode.BEFORE_PRODUCT, gru.gruResetMode(), "reset_after=False");
        assertEquals(GateActivation.HARD_SIGMOID, gru.gateActivation(), "tf.keras 2.3: clip(0.2x + 0.5)");
        RnnModel delhi = load("deepaqi/lstm_model_delhi.keras").model();
        assertEquals(GateActivation.SIGMOID, delhi.gateActivation());
        assertEquals(10, delhi.inputSize());
        assertEquals(2, delhi.layerCount());
        assertEquals(64, delhi.hiddenSize(), "LSTM(64) -> LSTM(32): padded to 64 with units that stay 0");
    }

    /** Keras's own predictions, recorded beside the model: every sample is one step from zero state. */
    @ParameterizedTest
    @ValueSource(strings = {"dl4j-keras2-lstm/simple_flatten_lstm_tf_keras_2", "dl4j-keras1-lstm/simple_lstm_tf_keras_1"})
    void reproducesKerasRecordedPredictions(String stem) throws Exception {
        KerasImporter.Imported imported = load(stem + "_model.h5");
        assertEquals(GateActivation.HARD_SIGMOID, imported.model().gateActivation());
        try (HdfFile io = HdfFile.fromBytes(Files.readAllBytes(TestEnvironment.keras(stem + "_inputs_and_outputs.h5")))) {
            io.jhdf.api.Group inputs = (io.jhdf.api.Group) io.getChild("inputs");
            io.jhdf.api.Group predictions = (io.jhdf.api.Group) io.getChild("predictions");
            float[] x = (float[]) ((io.jhdf.api.Dataset) inputs.getChildren().values().iterator().next()).getDataFlat();
            float[] y = (float[]) ((io.jhdf.api.Dataset) predictions.getChildren().values().iterator().next())
                    .getDataFlat();
            assertEquals(x.length, y.length, "one input value and one prediction per sample");
            double worst = 0;
            for (int i = 0; i < x.length; i++) {
                float out = prefixes(imported.model(), new float[][] {{x[i]}})[0][0];
                worst = Math.max(worst, Math.abs(out - y[i]));
            }
            assertTrue(worst < 1e-4, stem + ": worst difference from Keras " + worst);
            System.out.printf("keras_import file=%s keras=%s samples=%d worst_abs_diff=%.2e%n", stem,
                    imported.kerasVersion(), x.length, worst);
        }
    }

    @Test
    void aModelWithAnInitialStateInputIsRefusedWithItsReason() throws Exception {
        KerasImportException e = assertThrows(KerasImportException.class, () -> load("frugally-deep/temp_stateless.h5"));
        assertTrue(e.getMessage().contains("the model has 2 inputs [input_1, input_2]"), e.getMessage());
    }

    /** The architecture JSON + weights-only route, and the refusals, on the tsrnn LSTM's own config. */
    @Test
    void architectureJsonWithWeightsAndEveryRefusal() throws Exception {
        Path h5 = TestEnvironment.keras("tsrnn/lstm_32.hdf5");
        byte[] weights = Files.readAllBytes(h5);
        String arch;
        try (HdfFile f = HdfFile.fromBytes(weights)) {
            arch = f.getAttribute("model_config").getData().toString();
        }
        RnnModel viaJson = KerasImporter.importModel(arch, weights, "arch.json").model();
        assertEquals(load("tsrnn/lstm_32.hdf5").model(), viaJson);
        String[][] refusals = {
            {"\"activation\": \"tanh\"", "\"activation\": \"relu\"", "activation 'relu'; only tanh imports"},
            {"\"recurrent_activation\": \"hard_sigmoid\"", "\"recurrent_activation\": \"softsign\"",
                "recurrent_activation 'softsign'"},
            {"\"go_backwards\": false", "\"go_backwards\": true", "go_backwards"},
            {"\"class_name\": \"Dense\"", "\"class_name\": \"TimeDistributed\"", "TimeDistributed layers do not import"},
            {"\"activation\": \"linear\"", "\"activation\": \"sigmoid\"", "only a linear Dense imports"},
            {"\"class_name\": \"LSTM\"", "\"class_name\": \"Bidirectional\"", "Bidirectional layers do not import"}};
        for (String[] r : refusals) {
            assertTrue(arch.contains(r[0]), r[0]);
            KerasImportException e = assertThrows(KerasImportException.class,
                    () -> KerasImporter.importModel(arch.replace(r[0], r[1]), weights, "arch.json"), r[1]);
            assertTrue(e.getMessage().startsWith("arch.json: layer '") && e.getMessage().contains(r[2]), e.getMessage());
        }
    }
}
