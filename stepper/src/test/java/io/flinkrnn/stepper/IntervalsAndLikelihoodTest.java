package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Intervals hold their coverage on noise of a known law; the likelihood fires on a planted shift, once. */
class IntervalsAndLikelihoodTest {
    /** A relative-to-last model whose head is zero: it forecasts the last value, so its errors are the noise. */
    static ForecastModel lastValue(int steps) {
        RnnModel r = RandomModels.model(CellType.GRU, GruResetMode.AFTER_PRODUCT, 1, 4, 1, steps, 7);
        RnnModel zero = RnnModel.builder().cell(r.cell()).inputSize(1).hiddenSize(4).outputSize(steps)
                .addLayer(r.layer(0).weightIhCopy(), r.layer(0).weightHhCopy(), r.layer(0).biasIhCopy(),
                        r.layer(0).biasHhCopy()).head(new float[steps * 4], new float[steps]).build();
        return ForecastModel.builder(zero).features(List.of("v")).scaling(Scaling.PER_KEY, 200).relativeToLast(true)
                .build();
    }

    /** Steps {@code v} as one key; returns per row [forecast of step k, half-width of step k, score, raw]. */
    static float[][] run(ForecastModel m, StepperSettings settings, float[] v, int k) {
        float[][] out = new float[v.length][];
        OneKey.run(m, settings, v, v.length, (r, s, b) ->
                out[r] = new float[] {b.forecast(0, k - 1), b.halfWidth(0, k - 1), b.score(0), b.rawScore(0)});
        return out;
    }

    @Test
    void intervalsCoverTheirTargetShareOfGaussianNoise() {
        // A random walk with N(0, 1) steps: the last value's k-step error is N(0, k); 90% intervals.
        SplittableRandom rnd = new SplittableRandom(5);
        float[] v = new float[30_000];
        for (int i = 1; i < v.length; i++) {
            v[i] = v[i - 1] + (float) rnd.nextGaussian();
        }
        for (int k : new int[] {1, 3}) {
            float[][] out = run(lastValue(3), StepperSettings.defaults().withIntervals(0.9), v, k);
            int inside = 0;
            int n = 0;
            double width = 0;
            for (int r = 1000; r + k < v.length; r++) {
                float f = out[r][0];
                float h = out[r][1];
                inside += Math.abs(v[r + k] - f) <= h ? 1 : 0;
                width += h;
                n++;
            }
            double coverage = (double) inside / n;
            // The tracker's own noise: +-eta*MAE steps around the quantile; 0.02 is a few times the spread seen
            // between seeds, far tighter than a broken rule (which ends near 0 or 1).
            assertEquals(0.9, coverage, 0.02, "step " + k + " coverage");
            assertEquals(1.645 * Math.sqrt(k), width / n, 0.25 * Math.sqrt(k), "step " + k + ": a 90% normal half-width");
        }
    }

    @Test
    void aPlantedShiftFiresOnceAndOrdinaryNoiseDoesNot() {
        SplittableRandom rnd = new SplittableRandom(11);
        float[] v = new float[3000];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (Math.sin(i * 0.2) + 0.1 * rnd.nextGaussian()) + (i >= 2000 && i < 2040 ? 3f : 0f);
        }
        float[][] out = run(lastValue(1), StepperSettings.defaults().withAnomalyScoring(true), v, 1);
        for (int r = 0; r < AnomalyLikelihood.LEARNING; r++) {
            assertTrue(out[r][2] < 0.05f || out[r][2] >= AnomalyLikelihood.EXTREME_FLOOR,
                    "learning: likelihood 0.5 (or a new extreme), row " + r);
        }
        for (int r = 0; r <= AnomalyScorer.MIN_ERRORS; r++) {
            // No raw score yet, and a range of a few rows: every other row is a "new extreme", none an anomaly.
            assertTrue(Float.isNaN(out[r][3]) && out[r][2] < 0.05f, "a key's first rows are not flagged, row " + r);
        }
        int falseFlags = 0;
        for (int r = 1000; r < 2000; r++) {
            falseFlags += out[r][2] >= StepperSettings.DEFAULT_THRESHOLD ? 1 : 0;
        }
        assertTrue(falseFlags <= 2, "ordinary noise rarely flags: " + falseFlags + " of 1000");
        int firstFlag = -1;
        int flags = 0;
        for (int r = 2000; r < 2040; r++) {
            if (out[r][2] >= StepperSettings.DEFAULT_THRESHOLD) {
                flags++;
                firstFlag = firstFlag < 0 ? r : firstFlag;
            }
        }
        assertTrue(firstFlag >= 2000 && firstFlag <= 2003, "the shift is flagged within 3 rows: " + firstFlag);
        assertTrue(flags <= 5, "a run of anomalies fires once (or a few times), not 40 times: " + flags);
        assertTrue(out[2000][3] > 10, "the raw score of the jump is large: " + out[2000][3]);
    }
}
