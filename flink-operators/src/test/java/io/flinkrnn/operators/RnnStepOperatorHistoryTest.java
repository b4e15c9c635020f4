package io.flinkrnn.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.operators.state.RnnKeyStateSerializer;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import io.flinkrnn.stepper.KeyState;
import io.flinkrnn.stepper.KeyStateStore;
import io.flinkrnn.stepper.KeyStepper;
import io.flinkrnn.stepper.StatePart;
import io.flinkrnn.stepper.StepBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.array.FloatPrimitiveArraySerializer;
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
 * state {@code flink-rnn-history}) where a row is turned away or a state arrives with its history inside, one record
 * per bundle, against the stepper stepping the same records alone.
 */
class RnnStepOperatorHistoryTest {
    static final String KEY = TestData.observation(0, 0, 2).getKey();

    static RnnForecaster.Builder settings() {
        return RnnForecaster.builder().model(OperatorMatchesStepperTest.LINEAR, "m", "1").batchSize(1)
                .maxLatency(Duration.ZERO).backend(BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1));
    }

    static KeyedOneInputStreamOperatorTestHarness<String, Observation, Forecast> harness(String backend, Path dir)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new RnnStepOperator(OperatorMatchesStepperTest.LINEAR,
                settings().build().settings()), new ObservationKey(), Types.STRING, 128, 1, 0);
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
        b.setCurrentKey(KEY);
        return b.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("flink-rnn-state", RnnKeyStateSerializer.INSTANCE));
    }

    static ValueState<float[]> history(KeyedStateBackend<String> b) throws Exception {
        b.setCurrentKey(KEY);
        return b.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE,
                new ValueStateDescriptor<>("flink-rnn-history", FloatPrimitiveArraySerializer.INSTANCE));
    }

    /** Each forecast of {@code got} is the stepper's for the same records (those it turns away have none). */
    static void assertStepperBits(List<Observation> in, List<Forecast> got) {
        try (KeyStepper s = new KeyStepper(OperatorMatchesStepperTest.LINEAR, settings().build().settings().stepper(),
                new CpuStepBackend(OperatorMatchesStepperTest.LINEAR.network(), 1, "reference"), 1)) {
            KeyStateStore states = KeyStateStore.inMemory();
            int n = 0;
            for (Observation o : in) {
                StepBatch b = s.batch();
                b.clear();
                b.add(o.getKey(), o.getEventTime().toEpochMilli(), o.getValues());
                s.step(b, states);
                if (b.rejected(0)) {
                    continue;
                }
                Forecast f = got.get(n++);
                for (int i = 0; i < OperatorMatchesStepperTest.LINEAR.outputs(); i++) {
                    assertEquals(b.forecast(0, i), f.getValues().get(i), 0f, "forecast " + n + " output " + i);
                }
            }
            assertEquals(got.size(), n);
            assertEquals(0, s.freshParts().count(StatePart.LINEAR));
        }
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
        try (var h = harness("hashmap", dir)) {
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
        try (var h = harness(backendName, dir)) {
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
