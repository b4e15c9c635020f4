package io.flinkrnn.operators.bundle;

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
import io.flinkrnn.operators.ObservationKey;
import io.flinkrnn.operators.RnnForecaster;
import io.flinkrnn.operators.RnnStepOperator;
import io.flinkrnn.operators.RnnStepOperatorHistoryTest;
import io.flinkrnn.operators.kafka.AvroCodec;
import io.flinkrnn.operators.update.ModelUpdateFeed;
import io.flinkrnn.operators.update.ModelUpdateLoader;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.ModelStatePolicy;
import io.flinkrnn.schemas.ModelUpdate;
import io.flinkrnn.schemas.Observation;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.KeyState;
import io.flinkrnn.stepper.KeyStateStore;
import io.flinkrnn.stepper.KeyStepper;
import io.flinkrnn.stepper.Scaling;
import io.flinkrnn.stepper.StatePart;
import io.flinkrnn.stepper.StepBatch;
import io.flinkrnn.stepper.StepperSettings;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model update in the middle of a bundle, with the guard's linear model on both versions: one key's rows before the
 * switch step with version 1 and move values into its history, the rest with version 2, which keeps the state and
 * finds that history already at hand (not reloaded from RocksDB, where it is not written yet). The forecasts are a
 * reference stepper's that switches the key at the same row.
 */
class BundleFlushHistoryTest {
    static final long T0 = 1_700_000_000_000L;
    static final int ROWS = 1200;
    /** The switch: inside the bundle of rows 512-767 (bundles of 256), after the history's move at row 639. */
    static final int SWITCH = 700;

    static ForecastModel model(long seed) {
        return ForecastModel.builder(RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 1, 6, 1, 2, seed))
                .features(List.of("y")).targets(List.of("y")).scaling(Scaling.PER_KEY, 200).relativeToLast(true)
                .guard(true).guardRecent(5).guardLinear(300).build();
    }

    static final ForecastModel V1 = model(31);
    static final ForecastModel V2 = model(32);

    static Observation obs(int row) {
        float y = 20f + 5f * (float) Math.sin(2 * Math.PI * row / 12) + (row * 7 % 11) * 0.1f;
        return Observation.newBuilder().setKey("k").setEventTime(Instant.ofEpochMilli(T0 + row * 60_000L))
                .setValues(List.of(y)).build();
    }

    /** The log of updates: version 2, kept state, from row {@link #SWITCH}'s time. */
    static final class OneUpdate implements ModelUpdateFeed {
        private static final long serialVersionUID = 1L;
        private final byte[] record;

        OneUpdate(byte[] record) {
            this.record = record;
        }

        @Override
        public Reader open(Map<Integer, Long> from) {
            return new Reader() {
                long next = from.getOrDefault(0, 0L);

                @Override
                public List<Record> readToEnd() {
                    List<Record> out = new ArrayList<>();
                    if (next == 0) {
                        out.add(new Record("memory", 0, 0, record));
                        next = 1;
                    }
                    return out;
                }

                @Override
                public Map<Integer, Long> positions() {
                    return Map.of(0, next);
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public String describe() {
            return "memory:one-update";
        }
    }

    static byte[] update() throws Exception {
        return update(V2);
    }

    /** Version 2 as {@code next}, kept state, from row {@link #SWITCH}'s time. */
    static byte[] update(ForecastModel next) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelArtifacts.write(next, Map.of(), out);
        byte[] artifact = out.toByteArray();
        return new AvroCodec<>(ModelUpdate.class).encode(ModelUpdate.newBuilder().setModelId("m").setVersion(2)
                .setSha256(ModelUpdateLoader.sha256(artifact)).setArtifact(ByteBuffer.wrap(artifact)).setUri(null)
                .setEffectiveFrom(obs(SWITCH).getEventTime()).setState(ModelStatePolicy.KEEP).build());
    }

    @Test
    void aKeyThatSwitchesModelsMidBundleKeepsTheHistoryTheFirstVersionMoved(@TempDir java.nio.file.Path dir)
            throws Exception {
        RnnForecaster.Builder settings = RnnForecaster.builder().model(V1, "m", "1").batchSize(256)
                .maxLatency(Duration.ZERO).modelUpdates(new OneUpdate(update()))
                .backend(BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1));
        List<Forecast> got = new ArrayList<>();
        List<String> deadLetters = new ArrayList<>();
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new RnnStepOperator(V1, settings.build().settings()),
                new ObservationKey(), Types.STRING, 128, 1, 0)) {
            EmbeddedRocksDBStateBackend rocks = new EmbeddedRocksDBStateBackend();
            rocks.setDbStoragePath(dir.toString());
            h.setStateBackend(rocks);
            h.open();
            for (int r = 0; r < ROWS; r++) {
                h.processElement(obs(r), T0 + r * 60_000L);
            }
            h.endInput();
            h.close();
            var side = h.getSideOutput(io.flinkrnn.operators.DeadLetters.TAG);
            if (side != null) {
                side.stream().limit(3).forEach(d -> deadLetters.add(String.valueOf(d.getValue())));
            }
            for (Object o : h.getOutput()) {
                if (o instanceof StreamRecord<?> s && s.getValue() instanceof Forecast f) {
                    got.add(f);
                }
            }
        }
        assertEquals(ROWS, got.size(), "dead letters: " + deadLetters);
        StepperSettings stepper = settings.build().settings().stepper();
        try (KeyStepper s1 = new KeyStepper(V1, stepper, new CpuStepBackend(V1.network(), 1, "ref"), 1);
                KeyStepper s2 = new KeyStepper(V2, stepper, new CpuStepBackend(V2.network(), 1, "ref"), 1)) {
            KeyStateStore.InMemory state = KeyStateStore.inMemory();
            for (int r = 0; r < ROWS; r++) {
                if (r == SWITCH) {
                    state.write("k", s2.adopt(state.read("k"), s1, true, 2));
                    assertEquals(KeyStepper.Adopted.KEPT, s2.lastAdopted());
                }
                KeyStepper now = r < SWITCH ? s1 : s2;
                StepBatch b = now.batch();
                b.clear();
                b.add("k", T0 + r * 60_000L, obs(r).getValues());
                now.step(b, state);
                Forecast f = got.get(r);
                assertEquals(r < SWITCH ? "1" : "2", f.getModelVersion(), "row " + r);
                for (int i = 0; i < V1.outputs(); i++) {
                    assertEquals(b.forecast(0, i), f.getValues().get(i), 0f, "row " + r + " output " + i);
                }
            }
            assertEquals(0, s2.freshParts().count(StatePart.LINEAR), "the linear part and its history carried over");
            assertTrue(state.read("k").history() != null);
        }
    }

    /**
     * A model update to a model without the linear model: once the key's state is written in the new layout, nothing
     * reads its history again, so the operator deletes it instead of keeping 300 floats per key for good.
     */
    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void anUpdateToAModelWithoutTheLinearModelDeletesTheKeysHistory(String backend, @TempDir java.nio.file.Path dir)
            throws Exception {
        ForecastModel without = ForecastModel.builder(V1.network()).features(List.of("y")).targets(List.of("y"))
                .scaling(Scaling.PER_KEY, 200).relativeToLast(true).guard(true).guardRecent(5).build();
        RnnForecaster.Builder settings = RnnForecaster.builder().model(V1, "m", "1").batchSize(256)
                .maxLatency(Duration.ZERO).modelUpdates(new OneUpdate(update(without)))
                .backend(BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1));
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(new RnnStepOperator(V1, settings.build().settings()),
                new ObservationKey(), Types.STRING, 128, 1, 0)) {
            if (backend.equals("rocksdb")) {
                EmbeddedRocksDBStateBackend rocks = new EmbeddedRocksDBStateBackend();
                rocks.setDbStoragePath(dir.toString());
                h.setStateBackend(rocks);
            }
            h.open();
            KeyedStateBackend<String> keyed = h.getOperator().getKeyedStateBackend();
            for (int r = 0; r < SWITCH; r++) {
                h.processElement(obs(r), T0 + r * 60_000L);
            }
            h.getOperator().finish(); // flushes the bundle: every row before the switch stepped with version 1
            assertNotNull(RnnStepOperatorHistoryTest.history(keyed, "k").value(),
                    "version 1 moved values into the key's history");
            for (int r = SWITCH; r < ROWS; r++) {
                h.processElement(obs(r), T0 + r * 60_000L);
            }
            h.endInput();
            KeyState s = RnnStepOperatorHistoryTest.state(keyed, "k").value();
            assertEquals(2, s.modelVersion());
            assertEquals(-1, s.parts().versionOf(StatePart.LINEAR.id()), "the state has no linear part");
            assertNull(RnnStepOperatorHistoryTest.history(keyed, "k").value(), "and its history is gone");
            h.close();
        }
    }
}
