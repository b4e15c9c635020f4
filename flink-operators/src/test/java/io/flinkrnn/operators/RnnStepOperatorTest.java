package io.flinkrnn.operators;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.Normalization;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import io.flinkrnn.stepper.ForecastModel;
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
        return harness(MODEL, settings(MODEL).batchSize(batch).maxLatency(Duration.ofMillis(latencyMs)));
    }

    /** Settings for {@code model} on one Java thread; tests add what they exercise. */
    static RnnForecaster.Builder settings(RnnModel model) {
        return RnnForecaster.builder().model(model, "m", "1")
                .backend(BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1));
    }

    static KeyedOneInputStreamOperatorTestHarness<String, Observation, Forecast> harness(RnnModel model,
            RnnForecaster.Builder settings) throws Exception {
        return harness(ForecastModel.of(model), settings);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, Observation, Forecast> harness(ForecastModel model,
            RnnForecaster.Builder settings) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new RnnStepOperator(model, settings.build().settings()),
                new ObservationKey(), Types.STRING, 128, 1, 0);
    }

    static Observation obs(int key, int step) {
        return TestData.observation(key, step, MODEL.inputSize());
    }

    @Test
    void anomalyScoresComeFromForecastErrorsAndSurviveRestoreBitForBit() throws Exception {
        // The target is input 0, two steps ahead. 30 ordinary steps per key, then a spike on key 1.
        ForecastModel model = ForecastModel.builder(MODEL).features(List.of("a", "b", "c")).targets(List.of("a"))
                .build();
        RnnForecaster.Builder scoring = RnnForecaster.builder().model(model, "m", "1")
                .backend(BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1)).batchSize(7)
                .maxLatency(Duration.ZERO).anomalyScoring(true);
        List<Observation> in = new ArrayList<>();
        for (int s = 0; s < 31; s++) {
            for (int k = 0; k < 2; k++) {
                Observation o = obs(k, s);
                if (s == 30 && k == 1) {
                    List<Float> v = new ArrayList<>(o.getValues());
                    v.set(0, v.get(0) + 25f);
                    o = Observation.newBuilder(o).setValues(v).build();
                }
                in.add(o);
            }
        }
        List<Forecast> straight;
        try (var h = harness(model, scoring)) {
            h.open();
            for (Observation o : in) {
                h.processElement(o, TestData.NOW);
            }
            h.endInput();
            h.close();
            straight = forecasts(h);
        }
        assertEquals(62, straight.size());
        assertEquals(2, straight.get(0).getHorizon(), "horizon is steps ahead: two outputs of one target");
        assertEquals(null, straight.get(0).getRawScore(), "a key's first observation has nothing to compare");
        assertEquals(null, straight.get(2 * 10).getRawScore(), "too few errors yet");
        assertEquals(0.0301f, straight.get(0).getAnomalyScore(), 1e-4f, "a key still learning: likelihood 0.5");
        float spike = straight.get(61).getRawScore();
        float usual = straight.get(60).getRawScore();
        assertTrue(spike > 10 * usual && spike > 10, "spike " + spike + " vs usual " + usual);
        float extreme = straight.get(61).getAnomalyScore();
        // 1 - 0.001 x 3 / raw: near 1, and under it so that a larger jump can rank above this one.
        assertEquals(1 - 0.001 * 3 / spike, extreme, 1e-6, "a new extreme scores near 1");
        assertTrue(extreme < 1f, "and under 1: " + extreme);
        assertTrue(straight.get(61).getFlagged() && !straight.get(60).getFlagged());
        // The same stream with a checkpoint and restore in the middle gives the same scores, bit for bit.
        List<Forecast> resumed = new ArrayList<>();
        OperatorSubtaskState snapshot;
        try (var h = harness(model, scoring)) {
            h.open();
            for (Observation o : in.subList(0, 33)) {
                h.processElement(o, TestData.NOW);
            }
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 10);
            resumed.addAll(forecasts(h));
        }
        try (var h = harness(model, scoring)) {
            resumed.addAll(restoredRun(h, snapshot, in.subList(33, in.size())));
        }
        assertEquals(straight, resumed);
    }

    /**
     * Restores {@code h} from {@code snapshot} as after a failure, steps {@code rest} to the end of the input and
     * returns the forecasts it emitted.
     */
    static List<Forecast> restoredRun(KeyedOneInputStreamOperatorTestHarness<String, Observation, Forecast> h,
            OperatorSubtaskState snapshot, List<Observation> rest) throws Exception {
        h.initializeState(snapshot);
        h.open();
        for (Observation o : rest) {
            h.processElement(o, TestData.NOW);
        }
        h.endInput();
        h.close();
        return forecasts(h);
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
                h.processElement(obs(k, 0), TestData.NOW);
            }
            assertEquals(0, forecasts(h).size(), "three of four buffered");
            h.processElement(obs(3, 0), TestData.NOW);
            assertEquals(4, forecasts(h).size(), "the fourth fills the bundle");
        }
    }

    @Test
    void flushesWhenTheOldestRecordHasWaitedMaxLatency() throws Exception {
        try (var h = harness(100, 50)) {
            h.open();
            h.setProcessingTime(1000);
            h.processElement(obs(0, 0), TestData.NOW);
            h.setProcessingTime(1030);
            h.processElement(obs(1, 0), TestData.NOW);
            h.setProcessingTime(1049);
            assertEquals(0, forecasts(h).size());
            h.setProcessingTime(1050);
            assertEquals(2, forecasts(h).size(), "both, 50 ms after the first arrived");
            h.setProcessingTime(1060);
            h.processElement(obs(2, 0), TestData.NOW);
            h.setProcessingTime(1110);
            assertEquals(3, forecasts(h).size(), "the timer is re-armed for the next bundle");
        }
    }

    @Test
    void flushesBeforeAWatermarkPasses() throws Exception {
        try (var h = harness(100, 0)) {
            h.open();
            h.processElement(obs(0, 0), TestData.NOW);
            h.processElement(obs(1, 0), TestData.NOW);
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
        h.processElement(obs(0, 0), TestData.NOW);
        h.processElement(obs(1, 0), TestData.NOW);
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
                h.processElement(o, TestData.NOW);
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
                    h.processElement(obs(k, s), TestData.NOW);
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
                h.processElement(obs(k, 3), TestData.NOW);
                all.add(obs(k, 3));
            }
            h.endInput();
            h.close();
            got.addAll(forecasts(h));
        }
        assertEquals(16, got.size());
        assertSameAsKernels(all, got);
    }

    @Test
    void normalizationIsAppliedOnTheWayInAndUndoneOnTheWayOut() throws Exception {
        Normalization norm = new Normalization(new float[] {1f, -2f, 0.5f}, new float[] {2f, 0.5f, 3f},
                new float[] {10f, -1f}, new float[] {4f, 0.25f});
        RnnModel plain = MODEL;
        RnnModel scaled = RnnModel.builder().cell(plain.cell()).gruResetMode(plain.gruResetMode())
                .inputSize(plain.inputSize()).hiddenSize(plain.hiddenSize()).outputSize(plain.outputSize())
                .addLayer(plain.layer(0).weightIhCopy(), plain.layer(0).weightHhCopy(), plain.layer(0).biasIhCopy(),
                        plain.layer(0).biasHhCopy())
                .head(plain.headWeightCopy(), plain.headBiasCopy()).normalization(norm).build();
        Observation o = obs(0, 0);
        try (var h = harness(scaled, settings(scaled).batchSize(1).maxLatency(Duration.ZERO))) {
            h.open();
            h.processElement(o, TestData.NOW);
            float[] got = TestData.values(forecasts(h).get(0));
            float[] x = new float[3];
            for (int i = 0; i < 3; i++) {
                x[i] = norm.normalizeInput(i, o.getValues().get(i));
            }
            float[] y = new float[2];
            try (var b = new io.flinkrnn.kernels.cpu.CpuStepBackend(plain, 1, "reference")) {
                b.step(1, x, new float[plain.stateSize()], y);
            }
            assertArrayEquals(new float[] {norm.denormalizeOutput(0, y[0]), norm.denormalizeOutput(1, y[1])}, got);
        }
    }

    @Test
    void idleKeysExpireAfterTheTtlAndRestartFromZeroState() throws Exception {
        try (var h = harness(MODEL, settings(MODEL).batchSize(1).maxLatency(Duration.ZERO)
                .stateTtl(Duration.ofMinutes(10)))) {
            h.open();
            h.setStateTtlProcessingTime(0);
            h.processElement(obs(0, 0), TestData.NOW);
            h.processElement(obs(0, 1), TestData.NOW);
            h.setStateTtlProcessingTime(Duration.ofMinutes(11).toMillis());
            h.processElement(obs(0, 2), TestData.NOW);
            List<Forecast> got = forecasts(h);
            assertEquals(3, got.size());
            // After expiry key 0 starts again from zero state: its third forecast equals a first step on obs(0, 2).
            Map<String, List<float[]>> fresh = TestData.expected(MODEL, List.of(obs(0, 2)));
            assertArrayEquals(fresh.get("key-0").get(0), TestData.values(got.get(2)));
            Map<String, List<float[]>> continued = TestData.expected(MODEL, List.of(obs(0, 0), obs(0, 1), obs(0, 2)));
            assertTrue(!java.util.Arrays.equals(continued.get("key-0").get(2), TestData.values(got.get(2))),
                    "the state must have been dropped");
        }
    }

    @Test
    void eventTimeModeStepsInEventTimeOrderOnceTheWatermarkPassesAndRejectsLateRecords() throws Exception {
        try (var h = harness(MODEL, settings(MODEL).batchSize(100).maxLatency(Duration.ZERO)
                .eventTimeOrder(Duration.ofMinutes(5)))) {
            h.open();
            // steps are one minute apart: T0 + step minutes
            h.processElement(obs(0, 2), TestData.NOW);
            h.processElement(obs(0, 0), TestData.NOW);
            h.processElement(obs(1, 0), TestData.NOW);
            h.processElement(obs(0, 1), TestData.NOW);
            assertEquals(0, forecasts(h).size(), "held until the watermark passes");
            h.processWatermark(new Watermark(TestData.T0 + 60_000L));
            List<Object> out = new ArrayList<>(h.getOutput());
            assertEquals(4, out.size(), "steps 0 and 1 of key 0, step 0 of key 1, then the watermark");
            assertTrue(out.get(3) instanceof Watermark, "forecasts come out before the watermark");
            h.processElement(obs(0, 1), TestData.NOW);
            assertEquals(1, h.getSideOutput(DeadLetters.TAG).size(), "at the watermark: late");
            assertEquals(io.flinkrnn.schemas.DeadLetterReason.LATE,
                    h.getSideOutput(DeadLetters.TAG).peek().getValue().getReason());
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertSameAsKernels(List.of(obs(0, 0), obs(0, 1), obs(0, 2), obs(1, 0)), forecasts(h));
        }
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
