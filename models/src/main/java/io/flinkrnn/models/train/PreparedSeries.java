package io.flinkrnn.models.train;

import io.flinkrnn.kernels.model.Normalization;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.RowTransform;
import io.flinkrnn.stepper.Scaling;

/**
 * One series as the network sees it, with its split bounds: the network inputs of every row and the scaled
 * target of every origin and head output, both made by the stepper's own {@link RowTransform} replayed over
 * the key's rows in order, so the model is trained on exactly the inputs the stream will feed it. In double
 * for the gradients; the float values the stepper computes are widened, never recomputed.
 */
final class PreparedSeries {
    final TrainingData.Series raw;
    final int rows;
    final int inputs;
    final int outputs;
    /** [rows][network inputs]. */
    final double[] x;
    /** [rows][outputs]: (target_{t+k} - center_t) / scale_t for output i = step k of target c; NaN past the end. */
    final double[] y;
    final int trainEnd;
    final int valEnd;
    final int testEnd;

    PreparedSeries(TrainingData.Series raw, ForecastModel template, int[] bounds) {
        this.raw = raw;
        this.rows = raw.rows;
        int f = template.featureCount();
        int targets = template.targetCount();
        this.inputs = template.network().inputSize();
        this.outputs = template.outputs();
        this.x = new double[rows * inputs];
        this.y = new double[rows * outputs];
        RowTransform transform = new RowTransform(template);
        float[] st = transform.newState();
        float[] in = new float[inputs];
        float[] center = new float[rows * outputs];
        float[] scale = new float[rows * outputs];
        for (int t = 0; t < rows; t++) {
            transform.prepare(st, raw.features, t * f, raw.times[t], in, 0);
            for (int j = 0; j < inputs; j++) {
                x[t * inputs + j] = in[j];
            }
            for (int i = 0; i < outputs; i++) {
                scale[t * outputs + i] = transform.outputScale(st, i);
                center[t * outputs + i] = transform.outputCenter(st, raw.features, t * f, i);
            }
            transform.rowDone(st);
        }
        for (int t = 0; t < rows; t++) {
            for (int i = 0; i < outputs; i++) {
                int k = i / targets + 1;
                int c = i % targets;
                y[t * outputs + i] = t + k < rows
                        ? ((double) raw.targets[(t + k) * targets + c] - center[t * outputs + i]) / scale[t * outputs + i]
                        : Double.NaN;
            }
        }
        this.trainEnd = bounds[0];
        this.valEnd = bounds[1];
        this.testEnd = bounds[2];
    }

    /** The raw value of target {@code c} at row {@code r}. */
    float target(int r, int c, int targets) {
        return raw.targets[r * targets + c];
    }

    /**
     * The z-score of every feature and target over the training rows of every series (population standard
     * deviation; a constant column gets std 1): the network's normalisation under {@link Scaling#GLOBAL}, and the
     * scale every report's errors are measured on. Inputs the model derives (differences, time features) get
     * mean 0 and std 1; outputs are step-major, so output i uses target i % T's statistics.
     */
    static Normalization fit(TrainingData data, TrainingSplit split, int horizon, int networkInputs) {
        int f = data.featureCount();
        int t = data.targetCount();
        double[] inMean = new double[f];
        double[] inSq = new double[f];
        double[] outMean = new double[t];
        double[] outSq = new double[t];
        long n = 0;
        for (TrainingData.Series s : data.series) {
            int end = split.bounds(s.rows)[0];
            for (int r = 0; r < end; r++) {
                for (int j = 0; j < f; j++) {
                    inMean[j] += s.features[r * f + j];
                }
                for (int k = 0; k < t; k++) {
                    outMean[k] += s.targets[r * t + k];
                }
            }
            n += end;
        }
        if (n == 0) {
            throw new IllegalArgumentException("the training split is empty: no rows to fit the normalisation on");
        }
        for (int j = 0; j < f; j++) {
            inMean[j] /= n;
        }
        for (int k = 0; k < t; k++) {
            outMean[k] /= n;
        }
        for (TrainingData.Series s : data.series) {
            int end = split.bounds(s.rows)[0];
            for (int r = 0; r < end; r++) {
                for (int j = 0; j < f; j++) {
                    double d = s.features[r * f + j] - inMean[j];
                    inSq[j] += d * d;
                }
                for (int k = 0; k < t; k++) {
                    double d = s.targets[r * t + k] - outMean[k];
                    outSq[k] += d * d;
                }
            }
        }
        float[] im = new float[networkInputs];
        float[] is = new float[networkInputs];
        java.util.Arrays.fill(is, 1f);
        for (int j = 0; j < f; j++) {
            im[j] = (float) inMean[j];
            is[j] = std(inSq[j], n);
        }
        float[] om = new float[horizon * t];
        float[] os = new float[horizon * t];
        for (int i = 0; i < horizon * t; i++) {
            om[i] = (float) outMean[i % t];
            os[i] = std(outSq[i % t], n);
        }
        return new Normalization(im, is, om, os);
    }

    private static float std(double sumSq, long n) {
        float s = (float) Math.sqrt(sumSq / n);
        return s > 0 && Float.isFinite(s) ? s : 1f;
    }
}
