package io.flinkrnn.operators;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import io.flinkrnn.stepper.Adaptation;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.KeyStateStore;
import io.flinkrnn.stepper.KeyStepper;
import io.flinkrnn.stepper.Scaling;
import io.flinkrnn.stepper.StepBatch;
import io.flinkrnn.stepper.TimeFeatures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The operator publishes exactly what the stepper computes: a multi-key stream with keys repeated inside
 * bundles, every per-key rule on (scaling, relative forecasts, differences, time features, the guard,
 * intervals, anomaly likelihood, the surprise test, head adaptation), through the operator in bundles of 7 with a checkpoint and restore in the
 * middle, and through the stepper alone one row at a time: the same bits in every field.
 */
class OperatorMatchesStepperTest {
    static final ForecastModel MODEL = ForecastModel.builder(RandomModels.model(CellType.LSTM,
            GruResetMode.AFTER_PRODUCT, ForecastModel.networkInputs(2, true, TimeFeatures.DAY_WEEK), 12, 2, 12, 21))
            .features(List.of("x", "y")).targets(List.of("x", "y")).scaling(Scaling.PER_KEY, 50).relativeToLast(true)
            .inputDifferences(true).timeFeatures(TimeFeatures.DAY_WEEK).guard(true).guardRecent(5).build();

    /** The lowest allowed, so that the keys' short series (120 rows, the first 100 without surprise) flag some rows. */
    static final float SURPRISE = 1f;

    static RnnForecaster.Builder settings() {
        return RnnForecaster.builder().model(MODEL, "m", "1").batchSize(7).maxLatency(Duration.ZERO)
                .backend(BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1)).anomalyScoring(true)
                .intervals(0.8).adaptation(Adaptation.HEAD).surpriseThreshold(SURPRISE);
    }

    static KeyedOneInputStreamOperatorTestHarness<String, Observation, Forecast> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new RnnStepOperator(MODEL, settings().build().settings()),
                new ObservationKey(), Types.STRING, 128, 1, 0);
    }

    @Test
    void sameBitsAsTheStepperThroughBundlesAndARestore() throws Exception {
        List<Observation> in = TestData.interleaved(5, 120, 2, 17);
        List<Forecast> got = new ArrayList<>();
        OperatorSubtaskState snapshot;
        int cut = in.size() / 2 + 3; // mid-bundle
        try (var h = harness()) {
            h.open();
            for (Observation o : in.subList(0, cut)) {
                h.processElement(o, TestData.NOW);
            }
            h.prepareSnapshotPreBarrier(1);
            snapshot = h.snapshot(1, 10);
            got.addAll(RnnStepOperatorTest.forecasts(h));
        }
        try (var h = harness()) {
            got.addAll(RnnStepOperatorTest.restoredRun(h, snapshot, in.subList(cut, in.size())));
        }
        assertEquals(in.size(), got.size());
        Map<String, List<Forecast>> byKey = TestData.byKey(got);
        KeyStateStore states = KeyStateStore.inMemory();
        Map<String, Integer> seen = new HashMap<>();
        int flagged = 0;
        try (KeyStepper stepper = new KeyStepper(MODEL, settings().build().settings().stepper(),
                new CpuStepBackend(MODEL.network(), 1, "reference"), 1)) {
            StepBatch b = stepper.batch();
            for (Observation o : in) {
                b.clear();
                b.add(o.getKey(), o.getEventTime().toEpochMilli(), o.getValues());
                stepper.step(b, states);
                int n = seen.merge(o.getKey(), 1, Integer::sum) - 1;
                Forecast f = byKey.get(o.getKey()).get(n);
                for (int i = 0; i < MODEL.outputs(); i++) {
                    String where = o.getKey() + " row " + n + " output " + i;
                    assertEquals(b.forecast(0, i), f.getValues().get(i), 0f, where);
                    assertEquals(b.forecast(0, i) - b.halfWidth(0, i), f.getLower().get(i), 0f, where);
                    assertEquals(b.forecast(0, i) + b.halfWidth(0, i), f.getUpper().get(i), 0f, where);
                }
                assertEquals(Float.floatToIntBits(b.score(0)), Float.floatToIntBits(f.getAnomalyScore()));
                assertEquals(b.flagged(0), f.getFlagged());
                assertEquals(b.anomalous(0), f.getAnomalous());
                for (int c = 0; f.getSignalScores() != null && c < f.getSignalScores().size(); c++) {
                    assertEquals(Float.floatToIntBits(b.signalScore(0, c)),
                            Float.floatToIntBits(f.getSignalScores().get(c)));
                }
                assertEquals(b.cause(0) >= 0, f.getSignalScores() != null);
                assertTrue(!f.getFlagged() || f.getAnomalyScore() >= 0.5f || b.surprise(0) >= SURPRISE,
                        "flagged only where a threshold was reached");
                flagged += f.getFlagged() ? 1 : 0;
                assertEquals(12 / 2, f.getHorizon(), "six steps of two targets (the surprise test's window needs 5)");
            }
        }
        // Short series: some rows flag (by surprise), most do not.
        assertTrue(flagged > 0 && flagged < in.size(), "flags: " + flagged);
    }
}
