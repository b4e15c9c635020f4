package io.flinkrnn.models.evaluate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.GoldenCase;
import io.flinkrnn.kernels.ReferenceRnn;
import io.flinkrnn.kernels.TestEnvironment;
import io.flinkrnn.kernels.model.Normalization;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.models.keras.KerasImporter;
import io.flinkrnn.models.onnx.OnnxImporter;
import io.flinkrnn.stepper.ForecastModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Imported models (global scaling, raw units) replayed through the stepper on inputs of +-1e2, +-1e4 and +-1e6
 * give what a float64 recurrence on the imported weights gives, within 1e-5 relative (absolute below 1): nothing
 * between the row and the network may bend a finite input. Large inputs are well conditioned: a gate whose
 * pre-activation is large saturates to the same 0 or 1 in float32 as in float64, and h = o tanh(c) stays in
 * [-1, 1], so the forecast carries the float32 rounding of the head's sum over a bounded h (about 1e-7; the worst
 * seen is 2.3e-7). Only a pre-activation within its own rounding (|x| eps, 0.1 at 1e6) of a hard-sigmoid knee
 * could do worse, and the fixed random inputs here land on none.
 */
class ReplayTest {
    static final double[] SCALES = {1e2, 1e4, 1e6};
    static final int ROWS = 12;
    static final double TOLERANCE = 1e-5;

    @ParameterizedTest
    @ValueSource(strings = {"tsrnn/gru_32.hdf5", "tsrnn/lstm_32.hdf5", "deepaqi/lstm_model_delhi.keras",
        "dl4j-keras2-lstm/simple_flatten_lstm_tf_keras_2_model.h5", "dl4j-keras1-lstm/simple_lstm_tf_keras_1_model.h5"})
    void anImportedKerasModelMatchesAFloat64RecurrenceOnInputsUpToAMillion(String file) throws Exception {
        Path p = TestEnvironment.keras(file);
        check(file, KerasImporter.importModel(Files.readAllBytes(p), p.toString()).model());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm-3-5-1-2-7-4.onnx", "gru-3-5-1-2-7-4.onnx", "lstm-4-8-2-3-12-3-init.onnx",
        "gru-4-8-2-3-12-3-init.onnx"})
    void anImportedOnnxModelMatchesAFloat64RecurrenceOnInputsUpToAMillion(String file) throws Exception {
        TestEnvironment.goldenCases();
        Path p = GoldenCase.dir().resolve(file);
        check(file, OnnxImporter.importModel(Files.readAllBytes(p), p.toString()));
    }

    /** One key per scale, each row's features of that size with random signs, replayed and recomputed. */
    static void check(String file, RnnModel network) {
        ForecastModel model = ForecastModel.builder(network).build();
        int f = model.featureCount();
        Random random = new Random(31);
        List<Replay.Series> keys = new ArrayList<>();
        for (double scale : SCALES) {
            long[] times = new long[ROWS];
            float[] x = new float[ROWS * f];
            for (int r = 0; r < ROWS; r++) {
                times[r] = r * 60_000L;
                for (int j = 0; j < f; j++) {
                    x[r * f + j] = (float) ((random.nextBoolean() ? 1 : -1) * scale * (0.5 + 0.5 * random.nextDouble()));
                }
            }
            keys.add(new Replay.Series("scale" + scale, times, x));
        }
        float[][] got = Replay.forecasts(model, keys, 1);
        Normalization norm = network.normalization();
        int o = model.outputs();
        for (int k = 0; k < keys.size(); k++) {
            ReferenceRnn reference = new ReferenceRnn(network);
            float[] in = new float[f];
            double worst = 0;
            for (int r = 0; r < ROWS; r++) {
                for (int j = 0; j < f; j++) {
                    in[j] = norm.normalizeInput(j, keys.get(k).features()[r * f + j]);
                }
                double[] y = reference.step(in, 0);
                for (int i = 0; i < o; i++) {
                    double want = y[i] * norm.outputStdCopy()[i] + norm.outputMeanCopy()[i];
                    double error = Math.abs(got[k][r * o + i] - want) / Math.max(1, Math.abs(want));
                    assertTrue(error <= TOLERANCE, file + " at +-" + SCALES[k] + ", row " + r + " output " + i + ": "
                            + got[k][r * o + i] + " but the float64 recurrence gives " + want);
                    worst = Math.max(worst, error);
                }
            }
            System.out.printf("replay_import file=%s scale=%.0e worst_rel_error=%.2e%n", file, SCALES[k], worst);
        }
    }
}
