package io.flinkrnn.models.train;

import java.util.Locale;

/**
 * What training minimises over each (row, output) term, in the targets' training units, and the validation figure
 * that early stopping and the configuration search judge a model by.
 *
 * <p>{@link #mse()}: the squared error, judged by validation MSE. {@link #huber(double)}: the squared error up to
 * {@code delta}, linear beyond it, judged by validation MAE. Under per-key running scaling a spike or a level shift
 * becomes a target tens or thousands of running deviations away; squared, a handful of such terms set the whole
 * gradient, and the network learns to chase outliers instead of the ordinary rows every forecast is judged on.
 * The Huber loss caps each term's pull at {@code delta} and so fits the typical change, which is also what a
 * forecast judged by mean absolute error needs. The gradient is the squared error's, 2e, with e clamped to
 * [-delta, delta]; for MSE the clamp is to the infinities, so the MSE arithmetic is bit for bit what it was before
 * this choice existed.
 */
public final class TrainingLoss {
    /** The form of the loss. */
    public enum Kind { MSE, HUBER }

    /** The Huber delta {@code train} uses unless told otherwise (chosen on validation rows: docs/BENCHMARKS.md). */
    public static final double DEFAULT_DELTA = 0.1;

    public final Kind kind;
    /** Where the Huber loss turns linear, in training units; infinite for MSE. */
    public final double delta;
    private final float deltaFloat;

    private TrainingLoss(Kind kind, double delta) {
        this.kind = kind;
        this.delta = delta;
        this.deltaFloat = (float) delta;
    }

    public static TrainingLoss mse() {
        return new TrainingLoss(Kind.MSE, Double.POSITIVE_INFINITY);
    }

    /** The Huber loss, quadratic within {@code delta} of the target (a positive, finite number). */
    public static TrainingLoss huber(double delta) {
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("Huber delta must be a positive number, got " + delta);
        }
        return new TrainingLoss(Kind.HUBER, delta);
    }

    /** The derivative of one term's loss with respect to the forecast, for the error forecast - target. */
    double gradient(double error) {
        return 2 * Math.max(-delta, Math.min(delta, error));
    }

    /** {@link #gradient(double)} in float32, for the mini-batch path. */
    float gradient(float error) {
        return 2f * Math.max(-deltaFloat, Math.min(deltaFloat, error));
    }

    /** The validation figure a model is chosen by (lower is better; NaN when nothing was scored). */
    double judge(ForecastErrors validation) {
        return judge(validation.mse, validation.mae);
    }

    /** Of a validation MSE and MAE, the one this loss chooses models by. */
    public double judge(double mse, double mae) {
        return kind == Kind.MSE ? mse : mae;
    }

    /** The name of what {@link #judge} reads ("mse" or "mae"), for logs and progress. */
    public String judgedBy() {
        return kind == Kind.MSE ? "mse" : "mae";
    }

    @Override
    public String toString() {
        return kind == Kind.MSE ? "mse" : String.format(Locale.ROOT, "huber/%s", delta);
    }
}
