package io.flinkrnn.models.detect;

import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.models.train.Trainer;
import io.flinkrnn.models.train.TrainingConfig;
import io.flinkrnn.models.train.TrainingData;
import io.flinkrnn.models.train.TrainingListener;
import io.flinkrnn.models.train.TrainingLoss;
import io.flinkrnn.models.train.TrainingSplit;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.ForecastRules;
import io.flinkrnn.stepper.GuardError;
import io.flinkrnn.stepper.GuardRules;
import io.flinkrnn.stepper.KeyStateStore;
import io.flinkrnn.stepper.KeyStepper;
import io.flinkrnn.stepper.StepBatch;
import io.flinkrnn.stepper.StepperSettings;
import io.flinkrnn.stepper.TimeFeatures;
import io.flinkrnn.stepper.TimeOrderPolicy;
import java.util.Arrays;
import java.util.List;

/**
 * Anomaly detection for one key, as the stream does it: a model trained only on the key's own first rows (or a
 * given one), then every row stepped through the {@link KeyStepper} with anomaly scoring and intervals on, so a
 * row's score depends only on the rows up to it and is the very score the Flink job would publish. One parameter
 * set for every key.
 */
public final class Detector {
    /**
     * The per-key model's recipe: small, quick, {@link #STEPS} ahead, and {@link #RULES}; the rest as {@code
     * TrainingDefaults} (an LSTM of one layer).
     */
    static final int HIDDEN = 16;
    static final int WINDOW = 48;
    static final int EPOCHS = 20;
    /** Steps ahead: a row's score needs only the next row's forecast. */
    static final int STEPS = 1;
    /**
     * train's rules for one step, but no evidence test for the guard: NAB scores 70.39 with it against 70.54
     * without (docs/BENCHMARKS.md); its recent window scores a little higher there. The guard judges by absolute
     * error although detect trains by squared error (where train's would judge by squares): NAB scores 66.61 with
     * squares against 70.54 (docs/BENCHMARKS.md).
     */
    static final ForecastRules RULES = ForecastRules.defaults(STEPS)
            .withGuard(GuardRules.defaults(STEPS).withEvidence(0f).withLinear(0).withError(GuardError.ABSOLUTE));

    /** A key's rows: event times, features [rows][F]. */
    public record Rows(long[] times, float[] features) {
        public int count() {
            return times.length;
        }
    }

    /**
     * Per row: the anomaly score in [0, 1], the flag, the raw score, the first target's one-step forecast and its
     * interval; whether the key is anomalous, the cause (a target index, -1 for none), the joint signal score and
     * every target's score [rows][T].
     */
    public record Scores(float[] score, boolean[] flagged, float[] raw, float[] forecast, float[] lower,
            float[] upper, boolean[] anomalous, int[] cause, float[] joint, float[] signals, ForecastModel model,
            double trainSeconds) {
    }

    private final StepperSettings settings;

    /** @param settings flag threshold and interval coverage; scoring is switched on here */
    public Detector(StepperSettings settings) {
        this.settings = settings.withAnomalyScoring(true).withTimeOrder(TimeOrderPolicy.ACCEPT);
    }

    /** Trains a one-step model on the key's rows [0, trainRows) of feature {@code target}, then scores every row. */
    public Scores detect(String key, List<String> features, String target, Rows rows, int trainRows, long seed) {
        return detect(key, features, List.of(target), rows, trainRows, seed);
    }

    /** The same with several targets, each among the features: each is scored, and all of them jointly. */
    public Scores detect(String key, List<String> features, List<String> targets, Rows rows, int trainRows,
            long seed) {
        long t0 = System.nanoTime();
        int f = features.size();
        int t = targets.size();
        int[] cols = new int[t];
        for (int i = 0; i < t; i++) {
            cols[i] = features.indexOf(targets.get(i));
            if (cols[i] < 0) {
                throw new IllegalArgumentException(key + ": target " + targets.get(i) + " is not among the features "
                        + features);
            }
        }
        int n = Math.min(trainRows, rows.count());
        float[] x = Arrays.copyOf(rows.features(), n * f);
        float[] y = new float[n * t];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < t; i++) {
                y[r * t + i] = x[r * f + cols[i]];
            }
        }
        TrainingData data = new TrainingData(features, targets, List.of(new TrainingData.Series(key, x, y,
                Arrays.copyOf(rows.times(), n), f, t)));
        int val = Math.max(2, n / 5);
        TrainingConfig config = TrainingConfig.builder().hidden(HIDDEN).horizon(STEPS)
                .window(Math.max(2, Math.min(WINDOW, (n - val) / 4))).epochs(EPOCHS).patience(4).batch(16)
                .learningRate(5e-3).seed(seed).threads(1)
                .split(TrainingSplit.rows(n - val, val, 0)).rules(RULES.withTimeFeatures(calendar(rows, n)))
                .loss(TrainingLoss.mse()) // the Huber loss scores lower on NAB (docs/BENCHMARKS.md)
                .build();
        ForecastModel model = Trainer.train(data, config, TrainingListener.NONE).model;
        double seconds = (System.nanoTime() - t0) / 1e9;
        return score(model, rows, seconds);
    }

    /**
     * The calendar inputs for a key's sampling interval, read off its first {@code trainRows} rows only (the
     * rows after them are not known yet when scoring starts).
     */
    public static TimeFeatures calendar(Rows rows, int trainRows) {
        long[] seen = Arrays.copyOf(rows.times(), Math.min(trainRows, rows.count()));
        return TimeFeatures.forInterval(TimeFeatures.samplingInterval(seen));
    }

    /**
     * The baseline forecaster as a model: detection's rules without the guard (so relative to the last value) and a
     * zero head, so every forecast is the key's last value; what each part of detection is measured against. With
     * the calendar inputs a trained model would have, so that the likelihoods that follow the time of day and week
     * are the same on both.
     */
    public static ForecastModel lastValueModel(List<String> features, String target, TimeFeatures time) {
        return lastValueModel(features, List.of(target), time);
    }

    /** The same with several targets. */
    public static ForecastModel lastValueModel(List<String> features, List<String> targets, TimeFeatures time) {
        int f = features.size() + time.count();
        int t = targets.size();
        io.flinkrnn.kernels.model.RnnModel r = io.flinkrnn.kernels.model.RandomInit.model(CellType.GRU,
                io.flinkrnn.kernels.model.GruResetMode.AFTER_PRODUCT, f, 2, 1, t, 1);
        io.flinkrnn.kernels.model.RnnModel zero = io.flinkrnn.kernels.model.RnnModel.builder().cell(CellType.GRU)
                .inputSize(f).hiddenSize(2).outputSize(t).addLayer(r.layer(0).weightIhCopy(), r.layer(0).weightHhCopy(),
                        r.layer(0).biasIhCopy(), r.layer(0).biasHhCopy()).head(new float[2 * t], new float[t]).build();
        return ForecastModel.builder(zero).features(features).targets(targets)
                .rules(RULES.withGuard(GuardRules.off()).withTimeFeatures(time)).build();
    }

    /** Scores every row with {@code model} (forecasts: its first target's), from a fresh key. */
    public Scores score(ForecastModel model, Rows rows, double trainSeconds) {
        int n = rows.count();
        int f = model.featureCount();
        int t = model.targetCount();
        Scores s = new Scores(new float[n], new boolean[n], new float[n], new float[n], new float[n], new float[n],
                new boolean[n], new int[n], new float[n], new float[n * t], model, trainSeconds);
        try (KeyStepper stepper = new KeyStepper(model, settings, new CpuStepBackend(model.network(), 1, "detect"),
                1)) {
            StepBatch b = stepper.batch();
            KeyStateStore state = KeyStateStore.inMemory();
            for (int r = 0; r < n; r++) {
                b.clear();
                b.add("key", rows.times()[r], rows.features(), r * f);
                stepper.step(b, state);
                s.score()[r] = b.score(0);
                s.flagged()[r] = b.flagged(0);
                s.raw()[r] = b.rawScore(0);
                s.forecast()[r] = b.forecast(0, 0);
                s.lower()[r] = b.lower(0, 0);
                s.upper()[r] = b.upper(0, 0);
                s.anomalous()[r] = b.anomalous(0);
                s.cause()[r] = b.cause(0);
                s.joint()[r] = b.jointScore(0);
                for (int c = 0; c < t; c++) {
                    s.signals()[r * t + c] = b.signalScore(0, c);
                }
            }
        }
        return s;
    }

}
