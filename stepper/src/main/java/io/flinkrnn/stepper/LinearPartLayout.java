package io.flinkrnn.stepper;

/**
 * Where each float of the {@link LinearForecaster}'s state part lives, and how many there are: per target a block of
 * cursors and counters, the tail of its newest values, its coefficients, each step's errors per mix, and the forecasts
 * issued from the last S origins. Why a class of its own: the forecaster that reads and writes the part and {@link
 * LinearRingLayout}, which reads older layouts into it, must agree on one layout, written once here.
 */
final class LinearPartLayout {
    /** Floats per target before its tail: the cursors and counters below. */
    static final int HEAD = 7;
    private static final int P = LinearForecaster.WINDOW + 1;
    private static final int M = LinearForecaster.WEIGHTS.length;
    private final int base;
    private final int steps;
    private final int tail;
    private final int block;

    /** The part of {@code model} in a key's vector laid out by {@code layout}. */
    LinearPartLayout(ForecastModel model, KeyLayout layout) {
        this.base = layout.linear;
        this.steps = model.steps();
        this.tail = tailFloats(steps);
        this.block = blockFloats(model);
    }

    /**
     * The tail's length: every value a row's forecasts read (the newest origin's lags and those of the origins its
     * steps resolve), and the values not yet in the history.
     */
    static int tailFloats(int steps) {
        return LinearForecaster.WINDOW + steps + LinearForecaster.FLUSH;
    }

    /**
     * Floats per target: tail cursor, rows since the last fit, penalty and refits since chosen, values not yet in the
     * history, the history's next slot, the history's length N per target; the tail, coefficients [S][W+1], each
     * step's errors per weight [S][M] (and recent errors [S][M]); then the forecasts issued from the last S origins
     * [S][S] ({@link #issuedFloats}).
     */
    static int blockFloats(ForecastModel m) {
        return blockFloatsBeforeIssued(m) + issuedFloats(m.steps());
    }

    /** Floats per target before the issued forecasts: the whole block of versions 3 and 4, which had none. */
    static int blockFloatsBeforeIssued(ForecastModel m) {
        return HEAD + tailFloats(m.steps()) + m.steps() * P + m.steps() * M * (m.guardRecent() > 0 ? 2 : 1);
    }

    /**
     * Floats per target of the issued forecasts: each of the last S origins' S steps, with the coefficients in force
     * now (a refit recomputes the pending ones), so that a forecast is computed once, not again when it resolves and
     * again for the guard. NaN marks one not issued by this layout (a part read from an older one): it is computed.
     */
    static int issuedFloats(int steps) {
        return steps * steps;
    }

    /** The part's payload (after its row count), or -1 when the model has no linear forecaster. */
    static int size(ForecastModel m) {
        return m.guard() && m.guardLinear() > 0 ? m.targetCount() * blockFloats(m) : -1;
    }

    /** Floats of a key's history: each target's last N values, or 0 when the model has no linear forecaster. */
    static int historySize(ForecastModel m) {
        return m.guard() && m.guardLinear() > 0 ? m.targetCount() * m.guardLinear() : 0;
    }

    int cursorAt(int c) {
        return base + c * block;
    }

    int sinceFitAt(int c) {
        return cursorAt(c) + 1;
    }

    /** The index in {@link LinearForecaster#PENALTIES} of the penalty chosen last, and the refits since it was chosen. */
    int penaltyAt(int c) {
        return cursorAt(c) + 2;
    }

    int unflushedAt(int c) {
        return cursorAt(c) + 4;
    }

    int historyNextAt(int c) {
        return cursorAt(c) + 5;
    }

    int historyRowsAt(int c) {
        return cursorAt(c) + 6;
    }

    int tailAt(int c) {
        return cursorAt(c) + HEAD;
    }

    int coefficientsAt(int c, int k) {
        return tailAt(c) + tail + (k - 1) * P;
    }

    int errorAt(int c, int k, int w) {
        return tailAt(c) + tail + steps * P + (k - 1) * M + w;
    }

    int recentErrorAt(int c, int k, int w) {
        return errorAt(c, k, w) + steps * M;
    }

    /**
     * Step k's forecast of target c issued {@code age} rows before the newest issued (by age, not by row number: a
     * key's row count is exact only below 2^24).
     */
    int issuedAt(int c, int age, int k) {
        return cursorAt(c) + block - issuedFloats(steps) + age * steps + k - 1;
    }
}
