package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every target scored against the key's learned normal; a held fault stays anomalous and names its target. */
class SignalScoresTest {
    /** Two targets, both observed, forecast as their last values. */
    static ForecastModel twoTargets() {
        RnnModel r = RandomModels.model(CellType.GRU, GruResetMode.AFTER_PRODUCT, 2, 4, 1, 2, 7);
        RnnModel zero = RnnModel.builder().cell(r.cell()).inputSize(2).hiddenSize(4).outputSize(2)
                .addLayer(r.layer(0).weightIhCopy(), r.layer(0).weightHhCopy(), r.layer(0).biasIhCopy(),
                        r.layer(0).biasHhCopy()).head(new float[8], new float[2]).build();
        return ForecastModel.builder(zero).features(List.of("a", "b")).targets(List.of("a", "b"))
                .scaling(Scaling.PER_KEY, 200).relativeToLast(true).build();
    }

    /** Per row: anomalous ('A' or '.'), and the cause of the row's joint score. */
    static String[] run(ForecastModel m, StepperSettings settings, float[] rows) {
        int n = rows.length / 2;
        StringBuilder anomalous = new StringBuilder();
        StringBuilder causes = new StringBuilder();
        try (KeyStepper s = new KeyStepper(m, settings, new CpuStepBackend(m.network(), 1, "test"), 1)) {
            StepBatch b = s.batch();
            KeyStateStore store = KeyStateStore.inMemory();
            for (int r = 0; r < n; r++) {
                b.clear();
                b.add("k", r * 1000L, rows, 2 * r);
                s.step(b, store);
                anomalous.append(b.anomalous(0) ? 'A' : '.');
                causes.append(b.cause(0) < 0 ? "-" : m.targets().get(b.cause(0)));
                if (b.cause(0) >= 0) {
                    assertEquals(Math.max(b.signalScore(0, 0), b.signalScore(0, 1)), b.jointScore(0));
                }
            }
        }
        return new String[] {anomalous.toString(), causes.toString()};
    }

    @Test
    void aLevelHeldOnOneTargetIsAnomalousForAsLongAsItLastsAndNamesThatTarget() {
        // 600 normal rows (a ~ N(5, 1), b ~ N(-3, 0.5)), then b held 5 of its deviations high for 200 rows (a
        // one-step forecaster follows that within a row or two), then 100 normal rows again.
        SplittableRandom rnd = new SplittableRandom(3);
        float[] v = new float[2 * 900];
        for (int r = 0; r < 900; r++) {
            v[2 * r] = 5f + (float) rnd.nextGaussian();
            v[2 * r + 1] = -3f + 0.5f * (float) rnd.nextGaussian() + (r >= 600 && r < 800 ? 2.5f : 0f);
        }
        String[] out = run(twoTargets(), StepperSettings.defaults().withAnomalyScoring(true), v);
        String anomalous = out[0];
        assertEquals(-1, anomalous.substring(0, 600).indexOf('A'), "no alarm on normal rows");
        long held = anomalous.substring(600, 800).chars().filter(c -> c == 'A').count();
        assertTrue(held >= 190, "the fault is anomalous on " + held + " of its 200 rows");
        // After the fault, the key is normal again at the rules' 40th row under the threshold (counted from the
        // fault's last rows where those already fall under it: the normal learns slowly during the fault).
        int clear = AnomalyRules.DEFAULTS.clearRows();
        assertEquals(40, clear);
        String after = anomalous.substring(800);
        int tail = after.indexOf('.');
        assertTrue(tail >= clear - 3 && tail <= clear - 1, "anomalous for " + tail + " rows after the fault");
        assertEquals(".".repeat(100 - tail), after.substring(tail), "then normal");
        assertEquals("b".repeat(200), out[1].substring(600, 800), "the fault's cause is b");
        assertEquals("-".repeat(SignalScores.MIN_ROWS), out[1].substring(0, SignalScores.MIN_ROWS),
                "no score before the key has learned its first rows");
    }

    @Test
    void aLevelThatStaysIsLearnedInTheEndWhileAFaultOfMinutesStaysAnomalous() {
        // b moves 5 of its deviations up at row 600 and stays there: a fault for its first hundreds of rows, the
        // machine's new normal in the end. A normal frozen while anomalous would hold the key anomalous for good.
        SplittableRandom rnd = new SplittableRandom(5);
        int n = 600 + 6000;
        float[] v = new float[2 * n];
        for (int r = 0; r < n; r++) {
            v[2 * r] = 5f + (float) rnd.nextGaussian();
            v[2 * r + 1] = -3f + 0.5f * (float) rnd.nextGaussian() + (r >= 600 ? 2.5f : 0f);
        }
        String anomalous = run(twoTargets(), StepperSettings.defaults().withAnomalyScoring(true), v)[0];
        assertEquals(-1, anomalous.substring(0, 600).indexOf('A'), "no alarm on normal rows");
        long early = anomalous.substring(600, 1000).chars().filter(c -> c == 'A').count();
        assertTrue(early >= 390, "the new level is anomalous on " + early + " of its first 400 rows");
        int lastAnomalous = anomalous.lastIndexOf('A');
        assertTrue(lastAnomalous < n - 1000, "the key is normal again by its last 1000 rows, anomalous last at row "
                + lastAnomalous);
    }

    @Test
    void withoutTheHoldTheSameFaultFlickersOnItsNoisiestRows() {
        // The rules' rows to clear are the hysteresis: with one, rows under the threshold are normal at once.
        SplittableRandom rnd = new SplittableRandom(3);
        float[] v = new float[2 * 800];
        for (int r = 0; r < 800; r++) {
            v[2 * r] = 5f + (float) rnd.nextGaussian();
            v[2 * r + 1] = -3f + 0.5f * (float) rnd.nextGaussian() + (r >= 600 ? 2.5f : 0f);
        }
        StepperSettings loose = StepperSettings.defaults().withAnomalyScoring(true)
                .withAnomalyRules(new AnomalyRules(4, 1));
        String fault = run(twoTargets(), loose, v)[0].substring(600);
        assertTrue(fault.contains("A.") && fault.contains(".A"), fault);
    }
}
