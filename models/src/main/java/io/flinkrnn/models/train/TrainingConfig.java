package io.flinkrnn.models.train;

import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.stepper.Scaling;
import io.flinkrnn.stepper.TimeFeatures;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything that decides what {@link Trainer} computes. Built and checked by {@link Builder#build()};
 * two runs with equal configs on equal data give identical bits whatever the thread count.
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
    public final Scaling scaling;
    public final int scalingSpan;
    public final boolean relativeToLast;
    public final boolean inputDifferences;
    public final TimeFeatures timeFeatures;
    public final boolean guard;
    /** The guard's recent window in forecasts, 0 = none ({@link io.flinkrnn.stepper.ForecastModel#guardRecent()}). */
    public final int guardRecent;
    /** The guard's level span in rows for steps 2 and on, 0 = none ({@code ForecastModel.guardLevel}). */
    public final int guardLevel;
    /** The guard's one-step evidence test in standard errors, 0 = none ({@code ForecastModel.guardEvidence}). */
    public final float guardEvidence;

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
        scaling = b.scaling;
        scalingSpan = b.scalingSpan;
        relativeToLast = b.relativeToLast;
        inputDifferences = b.inputDifferences;
        timeFeatures = b.timeFeatures;
        guard = b.guard;
        guardRecent = b.guardRecent;
        guardLevel = b.guardLevel;
        guardEvidence = b.guardEvidence;
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
                .patience(patience).threads(threads).season(season).split(split).scaling(scaling, scalingSpan)
                .relativeToLast(relativeToLast).inputDifferences(inputDifferences).timeFeatures(timeFeatures)
                .guard(guard).guardRecent(guardRecent).guardLevel(guardLevel).guardEvidence(guardEvidence)
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
        m.put("scaling", scaling.name().toLowerCase(Locale.ROOT) + (scaling == Scaling.PER_KEY ? "/" + scalingSpan : ""));
        m.put("relativeToLast", Boolean.toString(relativeToLast));
        m.put("inputDifferences", Boolean.toString(inputDifferences));
        m.put("timeFeatures", timeFeatures.name().toLowerCase(Locale.ROOT));
        m.put("guard", Boolean.toString(guard));
        m.put("guardRecent", Integer.toString(guardRecent));
        m.put("guardLevel", Integer.toString(guardLevel));
        m.put("guardEvidence", Float.toString(guardEvidence));
        return m;
    }

    public static final class Builder {
        private CellType cell = CellType.LSTM;
        private int hidden = 64;
        private int layers = 1;
        private int horizon = 24;
        private int window = 96;
        private int stride;
        private int epochs = 30;
        private int batch = 32;
        private double learningRate = 1e-3;
        private double clipNorm = 1.0;
        private long seed = 1;
        private int patience = 8;
        private int threads = Runtime.getRuntime().availableProcessors();
        private Precision precision = Precision.FLOAT32;
        private TrainingLoss loss = TrainingLoss.mse();
        private int season = 24;
        private TrainingSplit split = TrainingSplit.fractions(0.7, 0.15);
        private Scaling scaling = Scaling.GLOBAL;
        private int scalingSpan = 500;
        private boolean relativeToLast;
        private boolean inputDifferences;
        private TimeFeatures timeFeatures = TimeFeatures.NONE;
        private boolean guard;
        private int guardRecent;
        private int guardLevel;
        private float guardEvidence;

        /** Per-key running statistics (over about {@code span} rows) or the global z-score (default). */
        public Builder scaling(Scaling v, int span) {
            scaling = v;
            scalingSpan = span;
            return this;
        }

        /** Predict each step as a change from the key's last value (default false). */
        public Builder relativeToLast(boolean v) {
            relativeToLast = v;
            return this;
        }

        public Builder inputDifferences(boolean v) {
            inputDifferences = v;
            return this;
        }

        public Builder timeFeatures(TimeFeatures v) {
            timeFeatures = v;
            return this;
        }

        /** Shrink the model's change per key by a factor learned online (applied in evaluation and deployed). */
        public Builder guard(boolean v) {
            guard = v;
            return this;
        }

        /** The guard's recent window in forecasts (default 0: none; else at least 2, with the guard on). */
        public Builder guardRecent(int v) {
            guardRecent = v;
            return this;
        }

        /** The guard's level span in rows for steps 2 and on (default 0: none; else at least 2, with the guard). */
        public Builder guardLevel(int v) {
            guardLevel = v;
            return this;
        }

        /** The guard's one-step evidence test in standard errors (default 0: none; with the guard on). */
        public Builder guardEvidence(float v) {
            guardEvidence = v;
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
            if (cell == null || split == null || scaling == null || timeFeatures == null) {
                throw new IllegalArgumentException("cell, split, scaling and time features must be set");
            }
            if (scaling == Scaling.PER_KEY && scalingSpan < 2) {
                throw new IllegalArgumentException("scaling span must be at least 2 rows, got " + scalingSpan);
            }
            if (guardRecent < 0 || guardRecent == 1) {
                throw new IllegalArgumentException("guard recent window must be 0 (none) or at least 2 forecasts, got "
                        + guardRecent);
            }
            if (guardRecent > 0 && !guard) {
                throw new IllegalArgumentException("a guard recent window (" + guardRecent + ") needs the guard on");
            }
            if (guardLevel < 0 || guardLevel == 1) {
                throw new IllegalArgumentException("guard level span must be 0 (none) or at least 2 rows, got "
                        + guardLevel);
            }
            if (guardLevel > 0 && (!guard || horizon < 2)) {
                throw new IllegalArgumentException("a guard level (span " + guardLevel + ") needs the guard on and a"
                        + " horizon of at least 2 steps, got guard " + guard + ", horizon " + horizon);
            }
            if (!(guardEvidence >= 0) || Float.isInfinite(guardEvidence)) {
                throw new IllegalArgumentException("guard evidence must be a finite number of standard errors >= 0,"
                        + " got " + guardEvidence);
            }
            if (guardEvidence > 0 && !guard) {
                throw new IllegalArgumentException("a guard evidence test (" + guardEvidence
                        + ") needs the guard on");
            }
            return new TrainingConfig(this);
        }

        private static void positive(String name, int v) {
            if (v < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, got " + v);
            }
        }
    }
}
