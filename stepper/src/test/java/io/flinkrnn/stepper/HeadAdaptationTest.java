package io.flinkrnn.stepper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Head adaptation learns what the shared head misses on a key (here a drift the last-value model cannot see),
 * and a spike moves its correction no more than an error of one running deviation does.
 */
class HeadAdaptationTest {
    private static final StepperSettings OFF = StepperSettings.defaults();
    private static final StepperSettings HEAD = StepperSettings.defaults().withAdaptation(Adaptation.HEAD);

    /** One-step forecasts of {@code v} by the zero-head model (the last value), with these settings. */
    private static float[] forecasts(StepperSettings settings, float[] v) {
        float[] out = new float[v.length];
        OneKey.run(IntervalsAndLikelihoodTest.lastValue(1), settings, v, v.length,
                (r, s, b) -> out[r] = b.forecast(0, 0));
        return out;
    }

    private static double mae(float[] f, float[] v, int from) {
        double sum = 0;
        for (int r = from; r < v.length - 1; r++) {
            sum += Math.abs(v[r + 1] - f[r]);
        }
        return sum / (v.length - 1 - from);
    }

    @Test
    void aKeysOwnDriftIsLearnedThatTheSharedHeadDoesNotKnow() {
        // A steady climb of 0.2 per row under noise of 0.1: the last value is always 0.2 behind on average.
        SplittableRandom rnd = new SplittableRandom(5);
        float[] v = new float[6000];
        for (int r = 0; r < v.length; r++) {
            v[r] = (float) (0.2 * r + 0.1 * rnd.nextGaussian());
        }
        double off = mae(forecasts(OFF, v), v, 4000);
        double head = mae(forecasts(HEAD, v), v, 4000);
        assertTrue(head < 0.8 * off, "the correction learns the drift: MAE " + head + " against " + off);
    }

    @Test
    void aSpikeMovesTheCorrectionNoMoreThanOneRunningDeviation() {
        ForecastModel m = IntervalsAndLikelihoodTest.lastValue(1);
        KeyLayout layout = new KeyLayout(m, false, false, true);
        HeadAdaptation a = new HeadAdaptation(m, layout);
        int hidden = m.network().hiddenSize();
        float[] h = new float[hidden]; // a zero hidden state: the update reaches the bias only, over a norm of 2
        int bias = layout.adaptation + hidden;
        float[] spike = {10f + 1000f * 2f};
        float[] ordinary = {10f + 0.5f * 2f};
        float[] st = new float[layout.size];
        a.remember(st, 0, h, 0, 10f, 2f); // forecast 10 at a scale of 2
        layout.countRow(st);
        a.learn(st, spike, 0);
        assertEquals(HeadAdaptation.MU * HeadAdaptation.CLIP / 2f, st[bias], 1e-12f, "clipped at one scale unit");
        float[] st2 = new float[layout.size];
        a.remember(st2, 0, h, 0, 10f, 2f);
        layout.countRow(st2);
        a.learn(st2, ordinary, 0);
        assertEquals(HeadAdaptation.MU * 0.5f / 2f, st2[bias], 1e-12f, "an ordinary error moves it in proportion");
    }
}
