package io.flinkrnn.cli.demo;

import io.flinkrnn.cli.data.DemoSeries;
import io.flinkrnn.cli.data.MachineSeries;
import io.flinkrnn.models.train.TrainingConfig;
import io.flinkrnn.models.train.TrainingData;
import io.flinkrnn.models.train.TrainingDefaults;
import io.flinkrnn.models.train.TrainingLoss;
import io.flinkrnn.models.train.TrainingSplit;
import io.flinkrnn.stepper.ForecastRules;
import io.flinkrnn.stepper.GuardRules;
import io.flinkrnn.stepper.TimeFeatures;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's one training recipe, for the univariate keys' model and the machine's alike, so the two differ only
 * in their data: train's defaults ({@link TrainingDefaults}) on a small budget, per-key scaling (keys of any level
 * on one scale), forecasts relative to the last value, the guard with its recent window, level and evidence test,
 * and time features from the sampling interval; but the squared-error loss, as {@code detect} trains: the demo is
 * judged on detection too, and on the generator's tuning seeds the Huber loss caught no more events and forecast no
 * better (docs/BENCHMARKS.md); and so, as {@code train} does under that loss, a guard that judges by squared error.
 */
public final class DemoTraining {
    /** Steps ahead the demo's models forecast. */
    public static final int STEPS = 6;
    public static final int HIDDEN = 32;
    public static final int WINDOW = 48;
    /** The share of each key's rows the demo trains on, in percent; then 10 % validation rows. */
    public static final int TRAIN_PERCENT = 40;
    public static final TrainingSplit SPLIT = TrainingSplit.fractions(TRAIN_PERCENT / 100.0, 0.1);

    /** train's rules for an MSE-trained model: its guard judges by squared error, as train's does under MSE. */
    static final ForecastRules RULES = ForecastRules.defaults(STEPS).withGuard(GuardRules.defaults(STEPS)
            .withError(GuardRules.errorFor(true)));

    private DemoTraining() {
    }

    /** The recipe for {@code data}, with {@code epochs} at most and this seed. */
    public static TrainingConfig config(int epochs, TrainingData data, long seed) {
        return TrainingConfig.builder().hidden(HIDDEN).horizon(STEPS).window(WINDOW).stride(12)
                .epochs(epochs).batch(16).learningRate(5e-3).seed(seed)
                .split(SPLIT).rules(RULES.withTimeFeatures(TimeFeatures.forInterval(data.samplingInterval())))
                .loss(TrainingLoss.mse()).build();
    }

    /** Univariate: the value is both the input and the target; the rows' event times feed the time features. */
    public static TrainingData keys(DemoSeries series) {
        List<TrainingData.Series> list = new ArrayList<>();
        for (DemoSeries.Key k : series.keys) {
            list.add(new TrainingData.Series(k.name, k.values, k.values, k.times, 1, 1));
        }
        return new TrainingData(List.of(series.valueName), List.of(series.valueName), list);
    }

    /**
     * The machine: every sensor a feature and a target, so the job scores each one and names the cause. All its
     * rows go in; the split trains on the first 40 % and validates on the next 10 %, before the fault.
     */
    public static TrainingData machine(MachineSeries m) {
        return new TrainingData(m.sensors, m.sensors, List.of(new TrainingData.Series(m.name, m.values, m.values,
                m.times, m.sensors.size(), m.sensors.size())));
    }
}
