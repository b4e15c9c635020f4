package io.flinkrnn.stepper;

import java.util.Locale;

/**
 * Which of the {@link ForecastGuard}'s candidates made a forecast: the network's own, a blend of it towards the key's
 * last value, the last value, the key's level, the key's linear model ({@link LinearForecaster}), or a mix of the
 * linear model and the network. Why it is reported: a user comparing the model with a per-key linear model, or asking
 * why a key's forecast turned flat, can see per key and step which candidate the guard has been trusting, in the
 * operator's metrics and in {@code evaluate}'s report, instead of guessing it from the figures.
 */
public enum ForecastSource {
    /** The network's forecast as it is (also every forecast of a model without the guard). */
    NETWORK,
    /** The network's change from the last value, shrunk by a blend weight between 0 and 1. */
    BLEND,
    /** The key's last value. */
    LAST_VALUE,
    /** The key's level: an exponentially weighted mean of its recent values (steps 2 and on). */
    LEVEL,
    /** The key's linear model alone. */
    LINEAR,
    /** A weighted mix of the key's linear model and the network. */
    LINEAR_MIX;

    private static final ForecastSource[] ALL = values();

    /** The name in metrics: {@code network}, {@code blend}, {@code lastValue}, {@code level}, {@code linear}, ... */
    public String metricName() {
        return MetricNames.of(this);
    }

    /** The name in reports: {@code network}, {@code blend}, {@code last_value}, ... */
    public String reportName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The source whose {@link #ordinal()} is {@code ordinal}. */
    public static ForecastSource of(int ordinal) {
        return ALL[ordinal];
    }
}
