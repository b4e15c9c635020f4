package io.flinkrnn.stepper;

import io.flinkrnn.kernels.model.Normalization;

/**
 * Turns one row of a key's raw values into the network's inputs, and the network's outputs back into
 * forecasts, with the key's own statistics where the model asks for them. The stream, every replay and the
 * trainer call this one class, so they see the same bits.
 *
 * <p>Per-key scaling ({@link Scaling#PER_KEY}): for each feature an exponentially weighted mean m and
 * variance v, updated with the row before the row is scaled, with weight a = max(1/(n+1), 1/span) after n
 * earlier rows: the first rows get plain running averages (a key's warm-up is its own first rows, not a
 * default), later rows an average over about {@code span} rows, so level shifts are followed. Updating
 * first bounds every scaled value: the variance then contains the row's own deviation, so |x - m| / s
 * stays below sqrt(n) in the warm-up and sqrt(span) after it, and a single outlier cannot reach the network
 * as a huge input. The scale s = max(sqrt(v), 1e-4 |m|, 1e-12): a constant series has s > 0 and inputs of
 * exactly 0, never NaN. Its inputs and differences are finally clipped to +-{@value #CLIP}.
 *
 * <p>Global scaling ({@link Scaling#GLOBAL}, which every imported ONNX or Keras model uses) clips nothing: its
 * inputs, and their differences, are the model's own z-score of raw units, so every finite value is one the
 * model was written for, and a clip would give a forecast other than the one the framework that wrote the model
 * gives (an imported Keras LSTM fed -79.27 forecast -6.369 where Keras records -5.813). The clip stays with
 * per-key scaling, where the update-first statistics already bound the inputs (it can bind only in a warm-up
 * longer than 2500 rows or on an extreme difference), so that trained models keep their exact bits.
 *
 * <p>Outputs: forecast_i = y_i * scale_i + center_i, where scale is the key's s of the output's target
 * (per-key) or the model's output std (global); center is the key's last value of the target when the model
 * forecasts relative to it, else the key's mean m (per-key) or the model's output mean (global).
 */
public final class RowTransform {
    static final float CLIP = 50f;
    private final ForecastModel model;
    private final KeyLayout layout;
    private final Normalization norm;
    private final float[] inputStd;
    private final float[] outputStd;
    private final float[] outputMean;
    private final int features;
    private final int targets;
    private final boolean perKey;
    private final float minWeight;

    /** The transform of {@code model} on its own per-key vector ({@link #newState()}): for the trainer. */
    public RowTransform(ForecastModel model) {
        this(model, new KeyLayout(model, false));
    }

    RowTransform(ForecastModel model, KeyLayout layout) {
        this.model = model;
        this.layout = layout;
        this.norm = model.network().normalization();
        this.inputStd = norm.inputStdCopy();
        this.outputStd = norm.outputStdCopy();
        this.outputMean = norm.outputMeanCopy();
        this.features = model.featureCount();
        this.targets = model.targetCount();
        this.perKey = model.scaling() == Scaling.PER_KEY;
        this.minWeight = 1f / model.scalingSpan();
    }

    /** A fresh key's per-key vector for {@link #prepare} (the trainer's; the stepper keeps its own). */
    public float[] newState() {
        return new float[layout.size];
    }

    /** Counts the row just prepared: call after {@link #prepare} and the outputs of the row. */
    public void rowDone(float[] st) {
        layout.countRow(st);
    }

    /**
     * Folds row {@code x[xAt .. xAt+F)} into the key's statistics and writes the network inputs at {@code
     * in[inAt ..]}. Call once per row, in order, then {@link #rowDone} (the stepper counts rows itself).
     */
    public void prepare(float[] st, float[] x, int xAt, long eventTime, float[] in, int inAt) {
        long n = perKey ? layout.rows(st, StatePart.SCALING) : 0;
        float a = Math.max(1f / (n + 1), minWeight);
        for (int j = 0; j < features; j++) {
            float v = x[xAt + j];
            float z;
            if (perKey) {
                int mi = layout.scaling + j;
                int vi = mi + features;
                if (n == 0) {
                    st[mi] = v;
                    st[vi] = 0f;
                } else {
                    float d = v - st[mi];
                    st[mi] = st[mi] + a * d;
                    st[vi] = (1f - a) * (st[vi] + a * d * d);
                }
                z = clip((v - st[mi]) / scaleOf(st, j));
            } else {
                z = norm.normalizeInput(j, v);
            }
            in[inAt + j] = z;
        }
        int at = inAt + features;
        if (model.inputDifferences()) {
            long seen = layout.rows(st, StatePart.DIFFERENCES);
            for (int j = 0; j < features; j++) {
                int pi = layout.differences + j;
                float v = x[xAt + j];
                float d = seen == 0 ? 0f
                        : perKey ? clip((v - st[pi]) / scaleOf(st, j)) : (v - st[pi]) / inputStd[j];
                in[at + j] = d;
                st[pi] = v;
            }
            at += features;
        }
        model.timeFeatures().write(eventTime, in, at);
    }

    /** The key's scale of feature {@code j} (per-key scaling only). */
    float scaleOf(float[] st, int j) {
        float m = st[layout.scaling + j];
        float s = (float) Math.sqrt(st[layout.scaling + features + j]);
        return Math.max(s, Math.max(1e-4f * Math.abs(m), 1e-12f));
    }

    /** scale_i for head output {@code i}, after {@link #prepare} of the row. */
    public float outputScale(float[] st, int i) {
        return perKey ? scaleOf(st, model.targetInput(i % targets)) : outputStd[i];
    }

    /** center_i for head output {@code i}, after {@link #prepare} of row {@code x[xAt..]}. */
    public float outputCenter(float[] st, float[] x, int xAt, int i) {
        int c = i % targets;
        if (model.relativeToLast()) {
            return x[xAt + model.targetInput(c)];
        }
        return perKey ? st[layout.scaling + model.targetInput(c)] : outputMean[i];
    }

    private static float clip(float z) {
        return Math.max(-CLIP, Math.min(CLIP, z));
    }
}
