package io.flinkrnn.models.train;

import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.stepper.ForecastRules;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything that decides what {@link Trainer} computes. Built and checked by {@link Builder#build()}, starting
 * from {@link TrainingDefaults}; two runs with equal configs on equal data give identical bits whatever the thread
 * count.
 */
public final class TrainingConfig {
    public final CellType cell;
    public final int hidden;
    public final int layers;
    /** Forecast steps: the head predicts every target at t+1..t+horizon. */
    public final int horizon;
    /** Truncated-BPTT window in rows. */
    public final int window;
    /** Rows between window starts; windows overlap when smaller than {@link #window}. */
    public final int stride;
    public final int epochs;
    /** Windows per optimizer step. */
    public final int batch;
    public final double learningRate;
    /** Global L2 norm the gradient is clipped to. */
    public final double clipNorm;
    public final long seed;
    /** Epochs without a better validation figure ({@link TrainingLoss#judge}) before training stops. */
    public final int patience;
    public final int threads;
    /** Arithmetic of backpropagation (FLOAT32 by default; FLOAT64 is the reference it is checked against). */
    public final Precision precision;
    /** What each term of the training error costs, and what early stopping judges. */
    public final TrainingLoss loss;
    /** Period (rows) of the seasonal-naive baseline in the report. */
    public final int season;
    public final TrainingSplit split;
    /** How keys' rows reach the network and forecasts come back: what the deployed model will do. */
    public final ForecastRules rules;

    private TrainingConfig(Builder b) {
        cell = b.cell;
        hidden = b.hidden;
        layers = b.layers;
        horizon = b.horizon;
        window = b.window;
        stride = b.stride > 0 ? b.stride : Math.max(1, b.window / 4);
        epochs = b.epochs;
        batch = b.batch;
        learningRate = b.learningRate;
        clipNorm = b.clipNorm;
        seed = b.seed;
        patience = b.patience;
        threads = b.threads;
        precision = b.precision;
        loss = b.loss;
        season = b.season;
        split = b.split;
        rules = b.rules;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How backpropagation computes. */
    public enum Precision {
        /** Mini-batch matrix-matrix products over each shard's windows in float32 (the Vector API, or its twin). */
        FLOAT32,
        /** One window at a time in float64: the reference, checked against central differences. */
        FLOAT64
    }

    /** A builder holding every setting of this configuration (stride as given: 0 stays "a quarter of the window"). */
    public Builder toBuilder() {
        Builder b = new Builder().cell(cell).hidden(hidden).layers(layers).horizon(horizon).window(window)
                .stride(stride).epochs(epochs).batch(batch).learningRate(learningRate).clipNorm(clipNorm).seed(seed)
                .patience(patience).threads(threads).season(season).split(split).rules(rules)
                .precision(precision).loss(loss);
        return b;
    }

    /** Every setting by name, for the report and the artifact's provenance. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cell", cell.name().toLowerCase(Locale.ROOT));
        m.put("hidden", Integer.toString(hidden));
        m.put("layers", Integer.toString(layers));
        m.put("horizon", Integer.toString(horizon));
        m.put("window", Integer.toString(window));
        m.put("stride", Integer.toString(stride));
        m.put("epochs", Integer.toString(epochs));
        m.put("batch", Integer.toString(batch));
        m.put("lr", Double.toString(learningRate));
        m.put("clip", Double.toString(clipNorm));
        m.put("seed", Long.toString(seed));
        m.put("patience", Integer.toString(patience));
        m.put("precision", precision.name().toLowerCase(Locale.ROOT));
        m.put("loss", loss.toString());
        m.put("season", Integer.toString(season));
        m.put("split", split.toString());
        m.putAll(rules.byName());
        return m;
    }

    public static final class Builder {
        private CellType cell = TrainingDefaults.CELL;
        private int hidden = TrainingDefaults.HIDDEN;
        private int layers = TrainingDefaults.LAYERS;
        private int horizon = TrainingDefaults.HORIZON;
        private int window = TrainingDefaults.WINDOW;
        private int stride;
        private int epochs = TrainingDefaults.EPOCHS;
        private int batch = TrainingDefaults.BATCH;
        private double learningRate = TrainingDefaults.LEARNING_RATE;
        private double clipNorm = TrainingDefaults.CLIP_NORM;
        private long seed = TrainingDefaults.SEED;
        private int patience = TrainingDefaults.PATIENCE;
        private int threads = TrainingDefaults.threads();
        private Precision precision = TrainingDefaults.PRECISION;
        private TrainingLoss loss = TrainingLoss.mse();
        private int season = TrainingDefaults.SEASON;
        private TrainingSplit split = TrainingSplit.fractions(TrainingDefaults.TRAIN_FRACTION,
                TrainingDefaults.VAL_FRACTION);
        private ForecastRules rules = ForecastRules.plain();

        /**
         * The per-key rules the model is trained for and deployed with (default {@link ForecastRules#plain()};
         * {@code train} uses {@link ForecastRules#defaults(int)}); the guard is applied in evaluation too.
         */
        public Builder rules(ForecastRules v) {
            rules = v;
            return this;
        }

        public Builder cell(CellType v) {
            cell = v;
            return this;
        }

        public Builder hidden(int v) {
            hidden = v;
            return this;
        }

        public Builder layers(int v) {
            layers = v;
            return this;
        }

        public Builder horizon(int v) {
            horizon = v;
            return this;
        }

        public Builder window(int v) {
            window = v;
            return this;
        }

        /** 0 (the default) means a quarter of the window. */
        public Builder stride(int v) {
            stride = v;
            return this;
        }

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder batch(int v) {
            batch = v;
            return this;
        }

        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        public Builder clipNorm(double v) {
            clipNorm = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder patience(int v) {
            patience = v;
            return this;
        }

        public Builder threads(int v) {
            threads = v;
            return this;
        }

        public Builder precision(Precision v) {
            precision = v;
            return this;
        }

        /** The training loss (default {@link TrainingLoss#mse()}). */
        public Builder loss(TrainingLoss v) {
            loss = v;
            return this;
        }

        public Builder season(int v) {
            season = v;
            return this;
        }

        public Builder split(TrainingSplit v) {
            split = v;
            return this;
        }

        public TrainingConfig build() {
            positive("hidden", hidden);
            positive("layers", layers);
            positive("horizon", horizon);
            positive("window", window);
            positive("epochs", epochs);
            positive("batch", batch);
            positive("threads", threads);
            if (precision == null) {
                throw new IllegalArgumentException("precision is null (FLOAT32 or FLOAT64)");
            }
            if (loss == null) {
                throw new IllegalArgumentException("loss is null (TrainingLoss.mse() or TrainingLoss.huber(delta))");
            }
            positive("season", season);
            if (stride < 0) {
                throw new IllegalArgumentException("stride must be >= 0 (0: a quarter of the window), got " + stride);
            }
            if (patience < 1) {
                throw new IllegalArgumentException("patience must be >= 1, got " + patience);
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
            }
            if (!(clipNorm > 0)) {
                throw new IllegalArgumentException("clip norm must be positive, got " + clipNorm);
            }
            if (cell == null || split == null || rules == null) {
                throw new IllegalArgumentException("cell, split and rules must be set");
            }
            rules.stepsProblem(horizon).ifPresent(p -> {
                throw new IllegalArgumentException(p);
            });
            return new TrainingConfig(this);
        }

        private static void positive(String name, int v) {
            if (v < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, got " + v);
            }
        }
    }
}
