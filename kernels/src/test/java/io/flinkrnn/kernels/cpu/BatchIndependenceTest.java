package io.flinkrnn.kernels.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.StepBackend;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GateActivation;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A key's outputs and states must be the same bits whether it is stepped alone or in a batch, at any
 * position, with any thread count, on either inner-loop implementation: failover replay depends on it.
 */
class BatchIndependenceTest {
    static final int KEYS = 150;
    static final int STEPS = 4;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of(RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 5, 37, 2, 3, 1)),
                Arguments.of(RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 16, 64, 1, 1, 2)),
                Arguments.of(RandomModels.model(CellType.GRU, GruResetMode.AFTER_PRODUCT, 5, 37, 2, 3, 3)),
                Arguments.of(RandomModels.model(CellType.GRU, GruResetMode.BEFORE_PRODUCT, 3, 33, 2, 2, 4)),
                Arguments.of(RandomModels.model(CellType.GRU, GruResetMode.AFTER_PRODUCT, 8, 64, 1, 4, 5)),
                // The candidate's columns [260, 390) hold one full 64-wide weight panel with row-path columns on
                // both sides: every mix of the two product paths within one range.
                Arguments.of(RandomModels.model(CellType.GRU, GruResetMode.BEFORE_PRODUCT, 3, 130, 1, 2, 6)),
                // A head wider than TileMath.DENSE_MAX_OUTPUTS goes through the product instead.
                Arguments.of(RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 2, 40, 1, 20, 7)),
                // Keras's hard-sigmoid gates, both slopes, on every cell convention.
                Arguments.of(RandomModels.withGates(RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 5,
                        37, 2, 3, 8), GateActivation.HARD_SIGMOID)),
                Arguments.of(RandomModels.withGates(RandomModels.model(CellType.GRU, GruResetMode.BEFORE_PRODUCT, 3,
                        33, 2, 2, 9), GateActivation.HARD_SIGMOID)),
                Arguments.of(RandomModels.withGates(RandomModels.model(CellType.GRU, GruResetMode.AFTER_PRODUCT, 5,
                        37, 1, 3, 10), GateActivation.HARD_SIGMOID_KERAS3)));
    }

    @ParameterizedTest
    @MethodSource("models")
    void sameBitsForAnyBatchPositionAndThreadCount(RnnModel model) {
        float[] inputs = RandomModels.gaussian(10, KEYS * STEPS * model.inputSize());
        float[] initial = RandomModels.gaussian(11, KEYS * model.stateSize());
        Run alone;
        try (CpuStepBackend b = new CpuStepBackend(model, 1, "test")) {
            alone = run(b, model, inputs, initial, identity(), 1);
        }
        assertFalse(allZero(alone.outputs), "the reference run produced nothing");
        Random rnd = new Random(7);
        for (int threads : new int[] {1, 2, 3}) {
            for (int batch : new int[] {2, 3, 4, 5, 7, 16, 63, KEYS}) {
                List<Integer> order = identity();
                Collections.shuffle(order, rnd);
                try (CpuStepBackend b = CpuStepBackend.alwaysSplitting(model, threads, false)) {
                    assertSame(alone, run(b, model, inputs, initial, order, batch),
                            "threads=" + threads + " batch=" + batch);
                }
            }
        }
        try (CpuStepBackend b = CpuStepBackend.alwaysSplitting(model, 2, true)) {
            assertSame(alone, run(b, model, inputs, initial, identity(), KEYS), "plain Java vs " + "best");
        }
    }

    /**
     * The same comparison after thousands of calls, so that it runs the JIT-compiled vector code that
     * production runs (the test above may run mostly interpreted, where the Vector API executes its Java
     * fallback).
     */
    @org.junit.jupiter.api.Test
    void sameBitsOnceTheJitHasCompiledTheKernels() {
        RnnModel model = RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 7, 64, 2, 2, 8);
        RnnModel gru = RandomModels.model(CellType.GRU, GruResetMode.BEFORE_PRODUCT, 7, 48, 1, 2, 9);
        for (RnnModel m : List.of(model, gru)) {
            float[] inputs = RandomModels.gaussian(12, KEYS * STEPS * m.inputSize());
            float[] initial = RandomModels.gaussian(13, KEYS * m.stateSize());
            try (CpuStepBackend hot = CpuStepBackend.alwaysSplitting(m, 2, false);
                    CpuStepBackend plain = CpuStepBackend.plainJava(m, 1)) {
                float[] x = RandomModels.gaussian(14, 64 * m.inputSize());
                float[] st = new float[64 * m.stateSize()];
                float[] out = new float[64 * m.outputSize()];
                for (int i = 0; i < 6000; i++) {
                    hot.step(i % 2 == 0 ? 64 : 9, x, st, out);
                }
                Run alone = run(hot, m, inputs, initial, identity(), 1);
                assertSame(alone, run(hot, m, inputs, initial, identity(), KEYS), m.describe() + " compiled, batch");
                assertSame(alone, run(plain, m, inputs, initial, identity(), 5), m.describe() + " compiled vs plain");
            }
        }
    }

    private static void assertSame(Run expected, Run actual, String what) {
        assertArrayEquals(expected.outputs, actual.outputs, what + ": outputs differ in some bit");
        assertArrayEquals(expected.states, actual.states, what + ": states differ in some bit");
    }

    private static List<Integer> identity() {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            l.add(i);
        }
        return l;
    }

    private static boolean allZero(float[] a) {
        for (float v : a) {
            if (v != 0f) {
                return false;
            }
        }
        return true;
    }

    /** Steps every key STEPS times, keys taken in {@code order} in batches of {@code batch}. */
    static Run run(StepBackend backend, RnnModel m, float[] inputs, float[] initial, List<Integer> order,
            int batch) {
        int f = m.inputSize();
        int s = m.stateSize();
        int n = m.outputSize();
        float[] states = initial.clone();
        float[] outputs = new float[KEYS * STEPS * n];
        float[] x = new float[batch * f];
        float[] st = new float[batch * s];
        float[] out = new float[batch * n];
        for (int t = 0; t < STEPS; t++) {
            for (int from = 0; from < KEYS; from += batch) {
                int size = Math.min(batch, KEYS - from);
                for (int i = 0; i < size; i++) {
                    int key = order.get(from + i);
                    System.arraycopy(inputs, (key * STEPS + t) * f, x, i * f, f);
                    System.arraycopy(states, key * s, st, i * s, s);
                }
                Arrays.fill(out, Float.NaN);
                backend.step(size, x, st, out);
                for (int i = 0; i < size; i++) {
                    int key = order.get(from + i);
                    System.arraycopy(st, i * s, states, key * s, s);
                    System.arraycopy(out, i * n, outputs, (key * STEPS + t) * n, n);
                }
            }
        }
        return new Run(states, outputs);
    }

    static final class Run {
        final float[] states;
        final float[] outputs;

        Run(float[] states, float[] outputs) {
            this.states = states;
            this.outputs = outputs;
        }
    }
}
