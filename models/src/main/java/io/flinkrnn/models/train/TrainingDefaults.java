package io.flinkrnn.models.train;

import io.flinkrnn.kernels.model.CellType;

/**
 * What a model is trained with unless told otherwise: {@link TrainingConfig.Builder} starts from these, {@code
 * flink-rnn train} shows them in its help, and callers with a recipe of their own (detection, the demo) set only
 * what they change. The per-key rules' defaults live with the rules ({@code ForecastRules}, {@code GuardRules}).
 */
public final class TrainingDefaults {
    public static final CellType CELL = CellType.LSTM;
    public static final int HIDDEN = 64;
    public static final int LAYERS = 1;
    /** Forecast steps t+1..t+24: a day of hourly rows. */
    public static final int HORIZON = 24;
    /** Truncated-BPTT window: four days of hourly rows. */
    public static final int WINDOW = 96;
    public static final int EPOCHS = 30;
    public static final int BATCH = 32;
    public static final double LEARNING_RATE = 1e-3;
    public static final double CLIP_NORM = 1.0;
    public static final int SEED = 1;
    public static final int PATIENCE = 8;
    /** Period of the seasonal-naive baseline: a day of hourly rows. */
    public static final int SEASON = 24;
    public static final TrainingConfig.Precision PRECISION = TrainingConfig.Precision.FLOAT32;
    public static final double TRAIN_FRACTION = 0.7;
    public static final double VAL_FRACTION = 0.15;
    /** {@link ConfigSearch}: at most this many configurations within the budget. */
    public static final int CANDIDATES = 6;

    private TrainingDefaults() {
    }

    /** Threads: every core of this machine. */
    public static int threads() {
        return Runtime.getRuntime().availableProcessors();
    }
}
