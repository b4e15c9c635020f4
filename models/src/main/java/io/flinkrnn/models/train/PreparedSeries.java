package io.flinkrnn.models.train;

import io.flinkrnn.kernels.model.Normalization;

/**
 * One series on the normalised scale, in double, with its split bounds: what the trainer's windows and the
 * evaluation read. Targets keep their own normalisation (per target column).
 */
final class PreparedSeries {
    final TrainingData.Series raw;
    final int rows;
    final double[] x;
    final double[] y;
    final int trainEnd;
    final int valEnd;
    final int testEnd;

    PreparedSeries(TrainingData.Series raw, Normalization norm, int features, int targets, int[] bounds) {
        this.raw = raw;
        this.rows = raw.rows;
        this.x = new double[rows * features];
        this.y = new double[rows * targets];
        float[] inMean = norm.inputMeanCopy();
        float[] inStd = norm.inputStdCopy();
        float[] outMean = norm.outputMeanCopy();
        float[] outStd = norm.outputStdCopy();
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < features; j++) {
                x[r * features + j] = ((double) raw.features[r * features + j] - inMean[j]) / inStd[j];
            }
            for (int k = 0; k < targets; k++) {
                y[r * targets + k] = ((double) raw.targets[r * targets + k] - outMean[k]) / outStd[k];
            }
        }
        this.trainEnd = bounds[0];
        this.valEnd = bounds[1];
        this.testEnd = bounds[2];
    }

    /**
     * Z-scores fitted on the training rows of every series (population standard deviation; a constant column
     * gets std 1). The head's outputs are horizon-major, so output i uses target i % T's statistics.
     */
    static Normalization fit(TrainingData data, TrainingConfig.Split split, int horizon) {
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
        float[] im = new float[f];
        float[] is = new float[f];
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
