package io.flinkrnn.stepper;

/**
 * One anomaly likelihood over one moving average of a key's capped surprise scores, kept at {@code st[at..]} in
 * {@link #size} floats: the last {@code window} scores, the mean and variance of their average, and the previous
 * tail probability. {@link AnomalyLikelihood} keeps several (over different averages and different surprises) and
 * takes the largest; the rules each follows are described there.
 */
final class LikelihoodTrack {
    private final int window;

    LikelihoodTrack(int window) {
        this.window = window;
    }

    /** Floats one track keeps. */
    int size() {
        return window + 3;
    }

    /**
     * The score of a key's n-th row (n counted by whoever owns the track) with this capped surprise (0 for none);
     * folds it in.
     */
    float score(float[] st, int at, long n, float capped) {
        int moments = at + window;
        st[at + (int) (n % window)] = capped;
        int count = (int) Math.min(n + 1, window);
        float sum = 0f;
        for (int j = 0; j < count; j++) {
            sum += st[at + j];
        }
        float avg = sum / count;
        float mean = st[moments];
        float var = st[moments + 1];
        double p = 0.5;
        if (n >= AnomalyLikelihood.LEARNING) {
            float m = Math.max(mean, AnomalyLikelihood.MIN_MEAN);
            float v = Math.max(var, AnomalyLikelihood.MIN_VARIANCE);
            float z = Math.abs(avg - m) / (float) Math.sqrt(v);
            p = 0.5 * erfc(z / Math.sqrt(2));
        }
        if (n >= AnomalyLikelihood.SKIP) {
            // HTM leaves the first rows (the model still learning) out of the distribution.
            long k = n - AnomalyLikelihood.SKIP;
            float w = Math.max(1f / (k + 1), 1f / AnomalyLikelihood.HISTORY);
            float d = avg - mean;
            st[moments] = k == 0 ? avg : mean + w * d;
            st[moments + 1] = k == 0 ? 0f : (1f - w) * (var + w * d * d);
        }
        double filtered = p;
        if (p <= AnomalyLikelihood.RED && st[moments + 2] <= AnomalyLikelihood.RED) {
            filtered = AnomalyLikelihood.YELLOW;
        }
        st[moments + 2] = (float) p;
        return (float) Math.min(1.0, Math.max(0.0, StrictMath.log(filtered + 1e-10) / StrictMath.log(1e-10)));
    }

    /** The complementary error function (Numerical Recipes' Chebyshev fit, relative error below 1.2e-7). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * StrictMath.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
