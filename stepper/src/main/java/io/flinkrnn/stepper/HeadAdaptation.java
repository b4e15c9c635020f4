package io.flinkrnn.stepper;

/**
 * Per key, a correction of the shared head learned online from the key's own errors: each output i gets a
 * vector d_i over [h; 1] (the last layer's hidden state and a bias) added to the head's output in the key's
 * scaled units, y_i + d_i . [h; 1]. When the row that forecast targeted arrives k rows later, the scaled error
 * e = (actual - forecast) / scale, clipped to +-{@value #CLIP}, updates d_i by normalised LMS: d_i += {@value #MU} e
 * [h; 1] / (1 + |[h; 1]|^2), with the h and the scale of the origin. Normalised, so the step does not depend on
 * the key's level; clipped (the gradient of a Huber loss, as the trainer's), because real series are spiky: a
 * spike tens of running deviations away would otherwise move the correction more than a day of ordinary rows,
 * and the corrections then drifted with the last spikes instead of settling. State per key: d[O][H+1], and for
 * the last S origins their h[S][H], forecasts[S][O] and scales[S][O] ({@link KeyLayout}): at H=64, one target and
 * 6 steps, 390 + 384 + 6 + 6 = 786 floats (3,144 bytes).
 */
final class HeadAdaptation {
    static final float MU = 0.001f;
    static final float CLIP = 1f;
    private final KeyLayout layout;
    private final int steps;
    private final int targets;
    private final int outputs;
    private final int hidden;
    private final int[] targetInputs;

    HeadAdaptation(ForecastModel model, KeyLayout layout) {
        this.layout = layout;
        this.steps = model.steps();
        this.targets = model.targetCount();
        this.outputs = model.outputs();
        this.hidden = model.network().hiddenSize();
        this.targetInputs = model.targetInputs();
    }

    /** Floats this needs per key. */
    static int size(ForecastModel m) {
        int h = m.network().hiddenSize();
        return m.outputs() * (h + 1) + m.steps() * h + 2 * m.steps() * m.outputs();
    }

    private int deltaAt(int i) {
        return layout.adaptation + i * (hidden + 1);
    }

    private int hAt(int slot) {
        return layout.adaptation + outputs * (hidden + 1) + slot * hidden;
    }

    private int forecastAt(int slot) {
        return layout.adaptation + outputs * (hidden + 1) + steps * hidden + slot * outputs;
    }

    private int scaleAt(int slot) {
        return forecastAt(slot) + steps * outputs;
    }

    /** Learns from every forecast that row {@code x[xAt..]} (the key's n-th) resolves. */
    void learn(float[] st, float[] x, int xAt) {
        long n = layout.rows(st, StatePart.ADAPTATION);
        for (int k = 1; k <= steps && k <= n; k++) {
            int slot = (int) ((n - k) % steps);
            int h = hAt(slot);
            float norm = 1f;
            for (int j = 0; j < hidden; j++) {
                norm += st[h + j] * st[h + j];
            }
            norm += 1f;
            for (int c = 0; c < targets; c++) {
                int i = (k - 1) * targets + c;
                float scale = st[scaleAt(slot) + i];
                if (!(scale > 0f)) {
                    continue;
                }
                float e = (x[xAt + targetInputs[c]] - st[forecastAt(slot) + i]) / scale;
                e = Math.max(-CLIP, Math.min(CLIP, e));
                float g = MU * e / norm;
                int d = deltaAt(i);
                for (int j = 0; j < hidden; j++) {
                    st[d + j] += g * st[h + j];
                }
                st[d + hidden] += g;
            }
        }
    }

    /** The correction of output {@code i} for the key's n-th row, whose hidden state is {@code h[hAt..]}. */
    float correction(float[] st, int i, float[] h, int hAt) {
        int d = deltaAt(i);
        float y = st[d + hidden];
        for (int j = 0; j < hidden; j++) {
            y += st[d + j] * h[hAt + j];
        }
        return y;
    }

    /** Keeps the n-th row's hidden state (once) and output i's forecast and scale for {@link #learn}. */
    void remember(float[] st, int i, float[] h, int hAt, float forecast, float scale) {
        long n = layout.rows(st, StatePart.ADAPTATION);
        int slot = (int) (n % steps);
        if (i == 0) {
            System.arraycopy(h, hAt, st, hAt(slot), hidden);
        }
        st[forecastAt(slot) + i] = forecast;
        st[scaleAt(slot) + i] = scale;
    }
}
