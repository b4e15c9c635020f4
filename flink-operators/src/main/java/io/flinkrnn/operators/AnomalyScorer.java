package io.flinkrnn.operators;

import io.flinkrnn.operators.state.RnnKeyState;
import java.io.Serializable;
import java.util.List;

/**
 * Anomaly scores from forecast errors, per key, kept in the key's state so they survive failover and give the
 * same bits on replay. When an observation arrives, each target's error is its distance from the one-step
 * forecast the key made at its previous step, divided by the key's running mean absolute error for that
 * target; the score is the largest ratio (1 = an ordinary error; 10 = ten times the usual). The running mean
 * is a plain average over the first {@value #WINDOW} errors, then an exponential average with weight
 * 1/{@value #WINDOW}; scores are null until {@value #MIN_ERRORS} errors have been seen. Public so that an
 * offline replay (the cluster checks) scores with the very same arithmetic.
 */
public final class AnomalyScorer implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int WINDOW = 50;
    static final int MIN_ERRORS = 10;
    private final int[] targetInputs;
    private final int outputs;

    /**
     * @param targetInputs for each target, the index of the input feature that carries its actual value
     * @param outputs the model's head outputs (horizon steps x targets, horizon-major)
     */
    public AnomalyScorer(int[] targetInputs, int outputs) {
        this.targetInputs = targetInputs.clone();
        this.outputs = outputs;
    }

    /**
     * Scores {@code values} against the key's last forecast and folds the errors into its scale. Call
     * before {@link #remember}; returns null while there is no forecast yet or too few errors.
     */
    public Float scoreAndLearn(RnnKeyState s, List<Float> values) {
        int t = targetInputs.length;
        if (s.lastForecast().length != t) {
            return null; // first step of this key (or scoring just turned on): nothing to compare with
        }
        float[] forecast = s.lastForecast();
        float[] scale = s.errorScale();
        boolean ready = s.scoredErrors() >= MIN_ERRORS;
        float score = 0f;
        float n = (float) Math.min(s.scoredErrors() + 1, WINDOW);
        for (int j = 0; j < t; j++) {
            float e = Math.abs(values.get(targetInputs[j]) - forecast[j]);
            if (ready) {
                float ratio = scale[j] > 0f ? e / scale[j] : (e > 0f ? Float.MAX_VALUE : 0f);
                score = Math.max(score, ratio);
            }
            scale[j] += (e - scale[j]) / n;
        }
        s.errorScored();
        return ready ? score : null;
    }

    /** Keeps this step's one-step forecast of each target for scoring the key's next observation. */
    public void remember(RnnKeyState s, List<Float> forecastValues) {
        int t = targetInputs.length;
        s.startScoring(t);
        float[] f = s.lastForecast();
        for (int j = 0; j < t && j < outputs; j++) {
            f[j] = forecastValues.get(j); // horizon-major: outputs 0..T-1 are step 1 of each target
        }
    }
}
