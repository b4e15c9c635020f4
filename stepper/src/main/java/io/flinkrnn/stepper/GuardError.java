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

    /** The error of a miss of {@code diff} (a forecast's distance from the actual value). */
    float of(float diff) {
        return this == SQUARED ? diff * diff : Math.abs(diff);
    }

    /** The ratio between two errors that {@code ratio} is between two misses' sizes. */
    float ratio(float ratio) {
        return this == SQUARED ? ratio * ratio : ratio;
    }
}
