package io.flinkrnn.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.operators.state.RnnKeyStateSerializer;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.KeyState;
import io.flinkrnn.stepper.KeyStateStore;
import io.flinkrnn.stepper.KeyStepper;
import io.flinkrnn.stepper.Scaling;
import io.flinkrnn.stepper.StatePart;
import io.flinkrnn.stepper.StepBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.array.FloatPrimitiveArraySerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator's keeping of a key's history apart from its state (the guard's linear model's older values, keyed
 * state {@code flink-rnn-history}): through bundles and a restore, where a row is turned away, and where a state
 * arrives with its history inside, against the stepper stepping the same records alone.
 */
public class RnnStepOperatorHistoryTest {
    /** Two targets, two steps, the guard with its linear forecaster over each key's last 400 values. */
    static final ForecastModel LINEAR = ForecastModel.builder(RandomModels.model(CellType.LSTM,
            GruResetMode.AFTER_PRODUCT, 2, 8, 1, 4, 23)).features(List.of("x", "y")).targets(List.of("x", "y"))
            .scaling(Scaling.PER_KEY, 50).relativeToLast(true).guard(true).guardRecent(5).guardLinear(400).build();
    static final String KEY = TestData.observation(0, 0, 2).getKey();

    /** One record per bundle, unless {@code batch} says otherwise. */
    static RnnForecaster.Builder settings(int batch) {
        return RnnForecaster.builder().model(LINEAR, "m", "1").batchSize(batch).maxLatency(Duration.ZERO)
                .backend(BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1));
    }

    static KeyedOneInputStreamOperatorTestHarness<String, Observation, Forecast> harness(String backend, int batch,
            Path dir) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new RnnStepOperator(LINEAR,
                settings(batch).build().settings()), new ObservationKey(), Types.STRING, 128, 1, 0);
        if (backend.equals("rocksdb")) {
            EmbeddedRocksDBStateBackend rocks = new EmbeddedRocksDBStateBackend();
            rocks.setDbStoragePath(dir.toString());
            h.setStateBackend(rocks);
        }
        return h;
    }

    static void process(KeyedOneInputStreamOperatorTestHarness<String, Observation, Forecast> h, Observation o)
            throws Exception {
        h.processElement(o, o.getEventTime().toEpochMilli());
    }

    static ValueState<KeyState> state(KeyedStateBackend<String> b) throws Exception {
        return state(b, KEY);
    }

    static ValueState<float[]> history(KeyedStateBackend<String> b) throws Exception {
        return history(b, KEY);
    }

    /** The operator's state of {@code key} in {@code b} (no TTL), as the tests of other packages read it too. */
    public static ValueState<KeyState> state(KeyedStateBackend<String> b, String key) throws Exception {
        b.setCurrentKey(key);
        return b.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("flink-rnn-state", RnnKeyStateSerializer.INSTANCE));
    }

    /** The operator's history of {@code key} in {@code b} (no TTL). */
    public static ValueState<float[]> history(KeyedStateBackend<String> b, String key) throws Exception {
        b.setCurrentKey(key);
        return b.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("flink-rnn-history", FloatPrimitiveArraySerializer.INSTANCE));
    }

    /**
     * Each key's forecasts in {@code got} are the stepper's for the same records stepped one at a time (those it
     * turns away have none), and no key's linear part started fresh.
     */
    static void assertStepperBits(List<Observation> in, List<Forecast> got) {
        Map<String, List<Forecast>> byKey = TestData.byKey(got);
        Map<String, Integer> seen = new HashMap<>();
        try (KeyStepper s = new KeyStepper(LINEAR, settings(1).build().settings().stepper(),
                new CpuStepBackend(LINEAR.network(), 1, "reference"), 1)) {
            KeyStateStore states = KeyStateStore.inMemory();
            StepBatch b = s.batch();
            int stepped = 0;
            for (Observation o : in) {
                b.clear();
                b.add(o.getKey(), o.getEventTime().toEpochMilli(), o.getValues());
                s.step(b, states);
                if (b.rejected(0)) {
                    continue;
                }
                int n = seen.merge(o.getKey(), 1, Integer::sum) - 1;
                Forecast f = byKey.get(o.getKey()).get(n);
                for (int i = 0; i < LINEAR.outputs(); i++) {
                    assertEquals(b.forecast(0, i), f.getValues().get(i), 0f, o.getKey() + " row " + n + " output " + i);
                }
                stepped++;
            }
            assertEquals(got.size(), stepped);
            assertEquals(0, s.freshParts().count(StatePart.LINEAR));
        }
    }

    /**
     * On the heap and on RocksDB (where every access goes through the serializers), through bundles of 7 and a
     * restore in the middle, with a history per key and none inside the states: the forecasts are the stepper's bits,
     * which they would not be if the history were lost or misread.
     */
    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void theHistoryIsKeptApartAndRestored(String backend, @TempDir Path dir) throws Exception {
        List<Observation> in = TestData.interleaved(3, 900, 2, 29);
        List<Forecast> got = new ArrayList<>();
        OperatorSubtaskState snapshot;
        int cut = in.size() / 2 + 3;
        try (var h = harness(backend, 7, dir.resolve("a"))) {
            h.open();
            for (Observation o : in.subList(0, cut)) {
                h.processElement(o, TestData.NOW);
            }
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 10);
            KeyedStateBackend<String> keyed = h.getOperator().getKeyedStateBackend();
            assertEquals(3, keyed.getKeys("flink-rnn-history", VoidNamespace.INSTANCE).count(), "a history per key");
            assertNull(state(keyed).value().history(), "the key's state holds no history");
            assertTrue(state(keyed).value().steps() > 400);
            got.addAll(RnnStepOperatorTest.forecasts(h));
        }
        try (var h = harness(backend, 7, dir.resolve("b"))) {
            got.addAll(RnnStepOperatorTest.restoredRun(h, snapshot, in.subList(cut, in.size())));
        }
        assertEquals(in.size(), got.size());
        assertStepperBits(in, got);
    }

    /**
     * On the heap the operator's store hands out the very state object it keeps. A row turned away (time going
     * backwards) in a bundle that loaded the key's history, since its next row would move values into it, must not
     * leave that history inside the state: it would be checkpointed twice, and in a format older readers refuse.
     */
    @Test
    void aBundleWhoseOnlyRowIsTurnedAwayLeavesNoHistoryInsideTheState(@TempDir Path dir) throws Exception {
        List<Observation> in = new ArrayList<>();
        List<Forecast> got;
        try (var h = harness("hashmap", 1, dir)) {
            h.open();
            for (int step = 0; step < 255; step++) { // 127 values since the history's last move: the next moves 128
                in.add(TestData.observation(0, step, 2));
                process(h, in.get(in.size() - 1));
            }
            in.add(TestData.observation(0, 100, 2)); // behind the key's last row: turned away
            process(h, in.get(in.size() - 1));
            KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
            assertNull(state(backend).value().history(), "the state holds no history after the turned-away row");
            assertNotNull(history(backend).value(), "the history is where it was");
            for (int step = 255; step < 700; step++) {
                in.add(TestData.observation(0, step, 2));
                process(h, in.get(in.size() - 1));
            }
            got = RnnStepOperatorTest.forecasts(h);
        }
        assertEquals(in.size() - 1, got.size());
        assertStepperBits(in, got);
    }

    /**
     * A state written with its history inside (serializer format 6, as a store that keeps it there writes it) is
     * moved apart when it is read, so it is neither lost at the next write nor read as missing.
     */
    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aStateWithItsHistoryInsideHasItMovedApart(String backendName, @TempDir Path dir) throws Exception {
        List<Observation> in = new ArrayList<>();
        List<Forecast> got;
        try (var h = harness(backendName, 1, dir)) {
            h.open();
            for (int step = 0; step < 300; step++) {
                in.add(TestData.observation(0, step, 2));
                process(h, in.get(in.size() - 1));
            }
            KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
            KeyState inside = state(backend).value().copy();
            inside.history(history(backend).value().clone());
            state(backend).update(inside);
            history(backend).clear();
            for (int step = 300; step < 700; step++) {
                in.add(TestData.observation(0, step, 2));
                process(h, in.get(in.size() - 1));
            }
            assertNull(state(backend).value().history());
            assertTrue(history(backend).value().length > 0);
            got = RnnStepOperatorTest.forecasts(h);
        }
        assertStepperBits(in, got);
    }
}
