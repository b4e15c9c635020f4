package io.flinkrnn.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The bundle's flush triggers, waves for repeated keys, and checkpoints taken while records are buffered. */
class RnnStepOperatorTest {
    static final RnnModel MODEL = RandomModels.model(CellType.GRU, GruResetMode.AFTER_PRODUCT, 3, 16, 1, 2, 3);

    static KeyedOneInputStreamOperatorTestHarness<String, Observation, Forecast> harness(int batch, long latencyMs)
            throws Exception {
        RnnForecaster f = RnnForecaster.builder().model(MODEL, "m", "1").batchSize(batch)
                .maxLatency(Duration.ofMillis(latencyMs))
                .backend(BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1)).build();
        return new KeyedOneInputStreamOperatorTestHarness<>(new RnnStepOperator(MODEL, f.settings()),
                new ObservationKey(), Types.STRING, 128, 1, 0);
    }

    static Observation obs(int key, int step) {
        return TestData.observation(key, step, MODEL.inputSize());
    }

    static List<Forecast> forecasts(KeyedOneInputStreamOperatorTestHarness<String, Observation, Forecast> h) {
        List<Forecast> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord) {
                out.add((Forecast) ((StreamRecord<?>) o).getValue());
            }
        }
        return out;
    }

    @Test
    void flushesWhenTheBundleIsFull() throws Exception {
        try (var h = harness(4, 0)) {
            h.open();
            for (int k = 0; k < 3; k++) {
                h.processElement(obs(k, 0), 1L);
            }
            assertEquals(0, forecasts(h).size(), "three of four buffered");
            h.processElement(obs(3, 0), 1L);
            assertEquals(4, forecasts(h).size(), "the fourth fills the bundle");
        }
    }

    @Test
    void flushesWhenTheOldestRecordHasWaitedMaxLatency() throws Exception {
        try (var h = harness(100, 50)) {
            h.open();
            h.setProcessingTime(1000);
            h.processElement(obs(0, 0), 1L);
            h.setProcessingTime(1030);
            h.processElement(obs(1, 0), 1L);
            h.setProcessingTime(1049);
            assertEquals(0, forecasts(h).size());
            h.setProcessingTime(1050);
            assertEquals(2, forecasts(h).size(), "both, 50 ms after the first arrived");
            h.setProcessingTime(1060);
            h.processElement(obs(2, 0), 1L);
            h.setProcessingTime(1110);
            assertEquals(3, forecasts(h).size(), "the timer is re-armed for the next bundle");
        }
    }

    @Test
    void flushesBeforeAWatermarkPasses() throws Exception {
        try (var h = harness(100, 0)) {
            h.open();
            h.processElement(obs(0, 0), 1L);
            h.processElement(obs(1, 0), 1L);
            h.processWatermark(new Watermark(5));
            List<Object> out = new ArrayList<>(h.getOutput());
            assertEquals(3, out.size());
            assertTrue(out.get(2) instanceof Watermark, "forecasts come out before the watermark");
        }
    }

    @Test
    void flushesAtEndOfInput() throws Exception {
        var h = harness(100, 0);
        h.open();
        h.processElement(obs(0, 0), 1L);
        h.processElement(obs(1, 0), 1L);
        assertEquals(0, forecasts(h).size());
        h.close();
        assertEquals(2, forecasts(h).size(), "finish() steps what is buffered");
    }

    @Test
    void repeatedKeysInOneBundleStepInArrivalOrder() throws Exception {
        List<Observation> in = List.of(obs(0, 0), obs(0, 1), obs(1, 0), obs(0, 2), obs(1, 1), obs(2, 0));
        try (var h = harness(6, 0)) {
            h.open();
            for (Observation o : in) {
                h.processElement(o, 1L);
            }
            List<Forecast> got = forecasts(h);
            assertEquals(6, got.size());
            assertSameAsKernels(in, got);
        }
    }

    @Test
    void checkpointWhileRecordsAreBufferedLosesNone() throws Exception {
        List<Observation> all = new ArrayList<>();
        OperatorSubtaskState snapshot;
        List<Forecast> got = new ArrayList<>();
        try (var h = harness(100, 0)) {
            h.open();
            for (int s = 0; s < 3; s++) {
                for (int k = 0; k < 4; k++) {
                    h.processElement(obs(k, s), 1L);
                    all.add(obs(k, s));
                }
            }
            assertEquals(0, forecasts(h).size(), "all 12 still buffered");
            h.prepareSnapshotPreBarrier(1);
            assertEquals(12, forecasts(h).size(), "the barrier flushes the bundle");
            snapshot = h.snapshot(1, 10);
            got.addAll(forecasts(h));
        }
        // Restore as after a failure and carry on: each key continues from its checkpointed state.
        try (var h = harness(100, 0)) {
            h.initializeState(snapshot);
            h.open();
            for (int k = 0; k < 4; k++) {
                h.processElement(obs(k, 3), 1L);
                all.add(obs(k, 3));
            }
            h.endInput();
            h.close();
            got.addAll(forecasts(h));
        }
        assertEquals(16, got.size());
        assertSameAsKernels(all, got);
    }

    static void assertSameAsKernels(List<Observation> in, List<Forecast> got) {
        Map<String, List<float[]>> expected = TestData.expected(MODEL, in);
        Map<String, List<Forecast>> actual = TestData.byKey(got);
        for (Map.Entry<String, List<float[]>> e : expected.entrySet()) {
            assertEquals(e.getValue().size(), actual.get(e.getKey()).size(), e.getKey());
            for (int t = 0; t < e.getValue().size(); t++) {
                assertArrayEquals(e.getValue().get(t), TestData.values(actual.get(e.getKey()).get(t)),
                        e.getKey() + " step " + t);
            }
        }
    }
}
