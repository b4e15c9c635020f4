package io.flinkrnn.stepper;

/**
 * How the {@link ForecastGuard} and its {@link LinearForecaster} judge a candidate forecast's miss: by its absolute
 * value or its square. The guard picks, per key and output, the candidate with the smallest mean error; that mean
 * should be the one the model is trained and scored by, or the guard prefers a candidate that is better by another
 * measure than the one the user reads (the median-like choice under absolute error loses to the mean-like one under
 * squared error on a skewed series). Absolute suits the Huber loss and NAB's detection; squared the MSE loss.
 */
public enum GuardError {
    /** The mean absolute error: what every model before artifact format 7 was judged by. */
    ABSOLUTE,
    /** The mean squared error. */
    SQUARED;

    /**
     * The largest squared error kept: a larger one counts as this. The guard works in the key's own units, where a
     * glitch on a counter of bytes can miss by 1e10 and more; an infinite square would turn the guard's means into
     * NaN for good (infinity less infinity), and this leaves room for the evidence test's squares of differences.
     */
    static final float MAX_SQUARE = 1e30f;

    /** The error of a miss of {@code diff} (a forecast's distance from the actual value). */
    float of(float diff) {
        return this == SQUARED ? Math.min(diff * diff, MAX_SQUARE) : Math.abs(diff);
    }

    /** The error of a miss of {@code diff} in double, as the linear model's held-out error sums it. */
    double of(double diff) {
        return this == SQUARED ? diff * diff : Math.abs(diff);
    }

    /** The ratio between two errors that {@code ratio} is between two misses' sizes. */
    float ratio(float ratio) {
        return this == SQUARED ? ratio * ratio : ratio;
    }
}
