package io.flinkrnn.kernels.model;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Per-feature z-scoring that a model was trained with: inputs are mapped to (x - mean) / std before the
 * step, and each head output y back to y * std + mean. Fitted on the training split only (by the trainer
 * or the exporter) and carried with the model so that every consumer applies the same one.
 */
public final class Normalization implements Serializable {
    private static final long serialVersionUID = 1L;

    private final float[] inputMean;
    private final float[] inputStd;
    private final float[] outputMean;
    private final float[] outputStd;

    /**
     * @param inputMean, inputStd one per input feature
     * @param outputMean, outputStd one per head output
     */
    public Normalization(float[] inputMean, float[] inputStd, float[] outputMean, float[] outputStd) {
        this.inputMean = check("input mean", inputMean, false);
        this.inputStd = check("input std", inputStd, true);
        this.outputMean = check("output mean", outputMean, false);
        this.outputStd = check("output std", outputStd, true);
        if (inputMean.length != inputStd.length) {
            throw new ModelValidationException("normalization: input mean has " + inputMean.length
                    + " values but input std has " + inputStd.length);
        }
        if (outputMean.length != outputStd.length) {
            throw new ModelValidationException("normalization: output mean has " + outputMean.length
                    + " values but output std has " + outputStd.length);
        }
    }

    /** No scaling: mean 0 and std 1 everywhere. */
    public static Normalization identity(int inputs, int outputs) {
        float[] ones = new float[inputs];
        Arrays.fill(ones, 1f);
        float[] outOnes = new float[outputs];
        Arrays.fill(outOnes, 1f);
        return new Normalization(new float[inputs], ones, new float[outputs], outOnes);
    }

    private static float[] check(String what, float[] a, boolean positive) {
        if (a == null) {
            throw new ModelValidationException("normalization: " + what + " is missing");
        }
        for (int i = 0; i < a.length; i++) {
            if (!Float.isFinite(a[i]) || (positive && !(a[i] > 0f))) {
                throw new ModelValidationException("normalization: " + what + "[" + i + "] is " + a[i]
                        + (positive ? ": must be finite and positive" : ": must be finite"));
            }
        }
        return a.clone();
    }

    public int inputs() {
        return inputMean.length;
    }

    public int outputs() {
        return outputMean.length;
    }

    /** (x - mean) / std for input feature {@code i}. */
    public float normalizeInput(int i, float x) {
        return (x - inputMean[i]) / inputStd[i];
    }

    /** y * std + mean for head output {@code i}. */
    public float denormalizeOutput(int i, float y) {
        return y * outputStd[i] + outputMean[i];
    }

    public float[] inputMeanCopy() {
        return inputMean.clone();
    }

    public float[] inputStdCopy() {
        return inputStd.clone();
    }

    public float[] outputMeanCopy() {
        return outputMean.clone();
    }

    public float[] outputStdCopy() {
        return outputStd.clone();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Normalization)) {
            return false;
        }
        Normalization n = (Normalization) o;
        return Arrays.equals(inputMean, n.inputMean) && Arrays.equals(inputStd, n.inputStd)
                && Arrays.equals(outputMean, n.outputMean) && Arrays.equals(outputStd, n.outputStd);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(inputMean) * 31 + Arrays.hashCode(outputMean);
    }
}
