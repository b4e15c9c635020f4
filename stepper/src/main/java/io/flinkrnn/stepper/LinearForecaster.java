package io.flinkrnn.stepper;

/**
 * A linear model of each key's own recent values, refitted in the key's state, that the {@link ForecastGuard} offers as
 * a candidate for every output: a global network fits some keys worse than a per-key linear model does (a key with an
 * hourly or daily cycle at its own lag), and there the key should get the linear model's forecast. It is the model of
 * {@code evaluate}'s linear baseline: ridge regression of each step's change x_{t+k} - x_t on the last {@value #WINDOW}
 * values relative to x_t and a constant (NLinear-style: a zero model forecasts the last value), refitted every {@value
 * #REFIT} rows (a young key every quarter of its history, {@link #refitEvery}) on the origins among the key's last N
 * values (N = {@link GuardRules#linear()}), its penalty (times each input's mean square, so units do not matter)
 * chosen from {@link #PENALTIES} at every {@value #CHOOSE_EVERY}th refit by the guard's error on the newest fifth of
 * origins. The last N values live in two places: the newest ones in a tail inside the key's features, as many as every
 * row's forecasts read, and the older ones in the key's history ({@link KeyState#history()}), which only a refit reads
 * and which takes the tail's values {@value #FLUSH} at a time; so a store that keeps the history apart (the operator's,
 * on RocksDB) moves a few hundred floats per row instead of N ({@link #needsHistory} says when to load it). Why values
 * and not running normal equations: those take (W+1)^2 floats per key, the values N. Fitting is in double, in a fixed
 * order: identical bits on every machine. Each step's forecasts are judged, like the guard's blends, by their
 * exponentially weighted mean error ({@link GuardRules#error()}; and over the guard's recent window), with the
 * coefficients in force when they resolve; the guard is offered the linear forecast and its mixes with the network's
 * ({@link #WEIGHTS}). Each forecast is computed once, when issued, and kept until it resolves (a refit recomputes the
 * pending ones): the dot products of the forecasts were most of a row's cost.
 */
final class LinearForecaster {
    /** The lags the model regresses on: the baseline's. */
    static final int WINDOW = 96;
    /** Rows between refits. */
    static final int REFIT = 512;
    /** Rows the tail gathers before they move into the history: the history is written once per this many rows. */
    static final int FLUSH = KeyState.ROWS_PER_HISTORY_WRITE;
    /** Refits between choices of the penalty: the others keep the last choice (a factorisation each, not six). */
    static final int CHOOSE_EVERY = 4;
    /** The ridge penalties tried when one is chosen, relative to each input's mean square. */
    static final double[] PENALTIES = {1e-3, 1e-2, 1e-1, 1, 10};
    /** The candidates offered to the guard: w linear + (1 - w) network, for each w (mixes often beat both). */
    static final float[] WEIGHTS = {1f, 0.75f, 0.5f, 0.25f};
    private static final int M = WEIGHTS.length;
    /** Rows of judged forecasts after the first fit before the guard may choose the model's. */
    static final int WARM_UP = 24;
    private static final int P = WINDOW + 1;

    private final KeyLayout layout;
    private final int steps;
    private final int targets;
    private final int[] targetInputs;
    private final int rows;
    private final int recent;
    private final GuardError error;
    private final int tail;
    private final LinearPartLayout part;
    /** The values of the target being fitted, by age. */
    private final float[] byAge;
    /** The same values less their mean. */
    private final double[] u;
    private final LaggedRidge ridge;
    private final double[] gram = new double[P * P];
    private final double[] fitGram = new double[P * P];
    private final double[] moments;
    private final double[] fitMoments;

    LinearForecaster(ForecastModel model, KeyLayout layout) {
        this.layout = layout;
        this.steps = model.steps();
        this.targets = model.targetCount();
        this.targetInputs = model.targetInputs();
        this.rows = model.guardLinear();
        this.recent = model.guardRecent();
        this.error = model.guardError();
        this.tail = LinearPartLayout.tailFloats(steps);
        this.part = new LinearPartLayout(model, layout);
        this.moments = new double[P * steps];
        this.fitMoments = new double[P * steps];
        this.ridge = new LaggedRidge(WINDOW, steps, rows);
        this.u = new double[rows];
        this.byAge = new float[rows];
    }

    /** Rows seen when the model is first fitted: enough origins for twice its coefficients. */
    private int firstFit() {
        return fewestRows(steps);
    }

    /** The fewest rows a model of {@code steps} steps may fit on: twice as many origins as coefficients. */
    static int fewestRows(int steps) {
        return WINDOW + steps + 2 * (WINDOW + 1);
    }

    /** Whether the row after {@code n} rows, {@code sinceFit} of them since the last fit, is refitted on. */
    private boolean fitDue(long n, float sinceFit) {
        return n + 1 == firstFit() || n + 1 > firstFit() && sinceFit + 1 >= refitEvery(n + 1);
    }

    /**
     * Whether the key's history must be at hand before it learns up to {@code rowsAhead} more rows: when one of them
     * is refitted on or fills the tail. A store that keeps the history apart loads it only then.
     */
    boolean needsHistory(float[] st, int rowsAhead) {
        long n = layout.rows(st, StatePart.LINEAR);
        if (resized(st)) {
            return true;
        }
        float since = st[part.sinceFitAt(0)];
        int unflushed = n == 0 ? 0 : (int) st[part.unflushedAt(0)];
        for (int i = 0; i < rowsAhead; i++, n++) {
            if (++unflushed == FLUSH || fitDue(n, since)) {
                return true;
            }
            if (n + 1 > firstFit()) {
                since += 1;
            }
        }
        return false;
    }

    /**
     * Whether the part was written for a history of another length (a model update that changed N): its values
     * cannot be read by this model's, so it must start afresh.
     */
    boolean resized(float[] st) {
        return layout.rows(st, StatePart.LINEAR) > 0 && st[part.historyRowsAt(0)] != rows;
    }

    /** Whether some of the key's values have moved into its history, so that a missing history would lose them. */
    boolean flushed(float[] st) {
        return layout.rows(st, StatePart.LINEAR) >= FLUSH;
    }

    /**
     * Resolves every pending forecast that row {@code x[xAt..]} (the key's n-th, from 0) is the target of, keeps the
     * row's values in the tail (moving a full tail's oldest values into {@code history}), and refits when it is due.
     * {@code network[i]} is the network's forecast of output i from the origin it resolves (step k of target c from
     * k rows ago). {@code history} must be at hand when {@link #needsHistory} says so. Returns whether it wrote into
     * {@code history}.
     */
    boolean learn(float[] st, float[] history, float[] xs, int xAt, float[] network) {
        long n = layout.rows(st, StatePart.LINEAR);
        boolean wrote = false;
        for (int c = 0; c < targets; c++) {
            float v = xs[xAt + targetInputs[c]];
            if (n > firstFit()) {
                long m = n - firstFit() - 1;
                float wl = Math.max(1f / (m + 1), 1f / ForecastGuard.SPAN);
                float wr = recent > 0 ? Math.max(1f / (m + 1), 1f / recent) : 0f;
                for (int k = 1; k <= steps; k++) {
                    float lin = issued(st, c, k - 1, k);
                    float net = network[(k - 1) * targets + c];
                    for (int w = 0; w < M; w++) {
                        float err = error.of(v - mix(w, lin, net));
                        st[part.errorAt(c, k, w)] += wl * (err - st[part.errorAt(c, k, w)]);
                        if (recent > 0) {
                            st[part.recentErrorAt(c, k, w)] += wr * (err - st[part.recentErrorAt(c, k, w)]);
                        }
                    }
                }
            }
            int cursor = n == 0 ? 0 : ((int) st[part.cursorAt(c)] + 1) % tail;
            st[part.cursorAt(c)] = cursor;
            st[part.tailAt(c) + cursor] = v;
            st[part.historyRowsAt(c)] = rows;
            int unflushed = (n == 0 ? 0 : (int) st[part.unflushedAt(c)]) + 1;
            if (unflushed == FLUSH) {
                flush(st, checked(history), c);
                unflushed = 0;
                wrote = true;
            }
            st[part.unflushedAt(c)] = unflushed;
            boolean refitted = fitDue(n, st[part.sinceFitAt(c)]);
            if (refitted) {
                fit(st, checked(history), c, (int) Math.min(n + 1, rows));
                st[part.sinceFitAt(c)] = 0;
            } else if (n + 1 > firstFit()) {
                st[part.sinceFitAt(c)] += 1;
            }
            if (n + 1 >= firstFit()) {
                issue(st, c, n, refitted);
            }
        }
        return wrote;
    }

    /**
     * Ages target c's issued forecasts by a row and issues those from row n, the newest; after a refit also recomputes
     * the pending ones of the S - 1 origins before it (step k of the origin a rows back resolves a - k rows ahead), so
     * that each resolves with the coefficients in force when it does, as it always has.
     */
    private void issue(float[] st, int c, long n, boolean refitted) {
        int from = part.issuedAt(c, 0, 1);
        System.arraycopy(st, from, st, from + steps, (steps - 1) * steps);
        for (int age = refitted ? (int) Math.min(steps - 1, n) : 0; age >= 0; age--) {
            for (int k = age + 1; k <= steps; k++) {
                st[part.issuedAt(c, age, k)] = forecastFrom(st, c, age, k);
            }
        }
    }

    /**
     * Step k's forecast of target c from the origin {@code age} rows before the tail's newest: as issued, or computed
     * where a part read from an older layout has none.
     */
    private float issued(float[] st, int c, int age, int k) {
        float f = st[part.issuedAt(c, age, k)];
        return Float.isNaN(f) ? forecastFrom(st, c, age, k) : f;
    }

    private float[] checked(float[] history) {
        if (history == null || history.length != targets * rows) {
            throw new IllegalStateException("the linear forecaster needs the key's history of " + targets * rows
                    + " floats, but its store gave " + (history == null ? "none" : history.length + " floats"));
        }
        return history;
    }

    /** Moves target c's {@value #FLUSH} values not yet in the history there, oldest first. */
    private void flush(float[] st, float[] history, int c) {
        int next = (int) st[part.historyNextAt(c)];
        int from = part.tailAt(c);
        int at = Math.floorMod((int) st[part.cursorAt(c)] - (FLUSH - 1), tail);
        for (int i = 0; i < FLUSH; i++) {
            history[c * rows + next] = st[from + at];
            next = next + 1 == rows ? 0 : next + 1;
            at = at + 1 == tail ? 0 : at + 1;
        }
        st[part.historyNextAt(c)] = next;
    }

    /**
     * Rows between refits for a key that has seen {@code n}: a quarter of its history, at most {@value #REFIT}. Why:
     * a young key's first fit holds only the fewest rows, and its history doubles long before {@value #REFIT} more
     * rows arrive.
     */
    static int refitEvery(long n) {
        return (int) Math.max(1, Math.min(REFIT, n / 4));
    }

    /** Candidate w's forecast from the linear model's and the network's. */
    static float mix(int w, float linear, float network) {
        return w == 0 ? linear : WEIGHTS[w] * linear + (1f - WEIGHTS[w]) * network;
    }

    /** Whether the fitted model has had {@value #WARM_UP} rows of forecasts judged, so the guard may choose it. */
    boolean ready(float[] st) {
        return layout.rows(st, StatePart.LINEAR) > firstFit() + WARM_UP;
    }

    /** The linear forecast of output {@code i} (step k of target c) from the key's newest row, after {@link #learn}. */
    float forecast(float[] st, int i) {
        return issued(st, i % targets, 0, i / targets + 1);
    }

    /** The candidate (weight) with the smallest long-run error for output i. */
    int best(float[] st, int i) {
        int at = part.errorAt(i % targets, i / targets + 1, 0);
        int best = 0;
        for (int w = 1; w < M; w++) {
            if (st[at + w] < st[at + best]) {
                best = w;
            }
        }
        return best;
    }

    /** Candidate w's long-run mean error for output i. */
    float error(float[] st, int i, int w) {
        return st[part.errorAt(i % targets, i / targets + 1, w)];
    }

    /** Candidate w's recent mean error for output i (needs the guard's recent window). */
    float recentError(float[] st, int i, int w) {
        return st[part.recentErrorAt(i % targets, i / targets + 1, w)];
    }

    /**
     * Target c's step-k forecast from the origin {@code age} rows before the newest: its W lags, oldest first, read
     * from the tail in one pass that wraps at most once.
     */
    private float forecastFrom(float[] st, int c, int age, int k) {
        int ring = part.tailAt(c);
        int cursor = (int) st[part.cursorAt(c)];
        float last = st[ring + Math.floorMod(cursor - age, tail)];
        int b = part.coefficientsAt(c, k);
        int at = Math.floorMod(cursor - age - WINDOW + 1, tail);
        int first = Math.min(WINDOW, tail - at);
        double y = LaggedRidge.lagDot(st, ring + at, st, b, first, last)
                + LaggedRidge.lagDot(st, ring, st, b + first, WINDOW - first, last);
        return last + (float) (st[b + WINDOW] + y);
    }

    /** Target c's newest {@code count} values into {@link #byAge} (0 = the newest): the tail's, then the history's. */
    private void byAge(float[] st, float[] history, int c, int count) {
        int ring = part.tailAt(c);
        int at = (int) st[part.cursorAt(c)];
        int fromTail = Math.min(count, tail);
        for (int age = 0; age < fromTail; age++) {
            byAge[age] = st[ring + at];
            at = at == 0 ? tail - 1 : at - 1;
        }
        // The history's newest value is the tail's at age "unflushed": its value at age a is the history's
        // a - unflushed.
        int h = Math.floorMod((int) st[part.historyNextAt(c)] - 1 - (tail - (int) st[part.unflushedAt(c)]), rows);
        for (int age = fromTail; age < count; age++) {
            byAge[age] = history[c * rows + h];
            h = h == 0 ? rows - 1 : h - 1;
        }
    }

    /**
     * Refits target c on the {@code held} newest values: every origin whose lags and steps lie in them, the penalty
     * chosen on the newest fifth after fitting on the rest, then the coefficients from all of them.
     */
    private void fit(float[] st, float[] history, int c, int held) {
        byAge(st, history, c, held);
        double mean = 0;
        for (int age = 0; age < held; age++) {
            mean += byAge[age];
        }
        mean /= held;
        for (int age = 0; age < held; age++) {
            u[age] = byAge[age] - mean;
        }
        int oldest = held - WINDOW;
        int newest = steps;
        int split = newest + (oldest - newest + 1) / 5;
        ridge.normalEquations(u, newest, split, oldest, fitGram, fitMoments, gram, moments);
        int chosen = (int) st[part.penaltyAt(c)];
        if (st[part.penaltyAt(c) + 1] == 0) {
            double bestError = Double.POSITIVE_INFINITY;
            for (int p = 0; p < PENALTIES.length; p++) {
                ridge.solve(fitGram, fitMoments, PENALTIES[p]);
                double heldOut = ridge.heldOutError(u, newest, split - 1, error);
                if (heldOut < bestError) {
                    bestError = heldOut;
                    chosen = p;
                }
            }
            st[part.penaltyAt(c)] = chosen;
        }
        st[part.penaltyAt(c) + 1] = (st[part.penaltyAt(c) + 1] + 1) % CHOOSE_EVERY;
        ridge.solve(gram, moments, PENALTIES[chosen]);
        for (int k = 1; k <= steps; k++) {
            int b = part.coefficientsAt(c, k);
            for (int j = 0; j < P; j++) {
                st[b + j] = (float) ridge.beta[(k - 1) * P + j];
            }
        }
    }
}
