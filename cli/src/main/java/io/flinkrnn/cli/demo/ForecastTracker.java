package io.flinkrnn.cli.demo;

import io.flinkrnn.cli.data.DemoSeries;
import io.flinkrnn.models.evaluate.LinearBaseline;
import io.flinkrnn.schemas.Forecast;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores forecasts as they arrive against the data the demo streams: the one-step-ahead forecast made
 * after row i of a key is compared with row i+1's value, and so are the last-value baseline (row i's value) and,
 * when given, each key's linear baseline on the same rows (the last value until its window has filled).
 * Also counts forecasts per key, so the end of the run can say whether every observation got exactly one.
 * Thread-safe: the consumer writes, the progress printer reads.
 */
public final class ForecastTracker {
    private final DemoSeries series;
    private final Map<String, Integer> keyIndex = new HashMap<>();
    private final Map<String, Map<Long, Integer>> rowByTime = new HashMap<>();
    /** How many rows after an injected anomaly's start a flag still counts as catching it. */
    public static final int CATCH_WITHIN = 3;
    private final float[][] nextStep;
    private final float[][] lower;
    private final float[][] upper;
    private final boolean[][] flags;
    private final float[][] scores;
    private final int[][] received;
    private final double[] modelAbs;
    private final double[] baselineAbs;
    private final long[] scored;
    private final double[] farModelAbs;
    private final double[] farBaselineAbs;
    private final long[] farScored;
    /** Each key's linear baseline and its values, or null without one. */
    private final LinearBaseline[] linear;
    private final double[][] linearValues;
    private final double[] linearAbs;
    private final double[] farLinearAbs;
    private int farStep;
    private long total;
    private long duplicates;
    private long unknown;
    private final String startingVersion;
    private final Map<String, Long> forecastsByVersion = new HashMap<>();
    private final Map<String, int[]> firstRowOf = new HashMap<>();

    public ForecastTracker(DemoSeries series) {
        this(series, "1", null);
    }

    /**
     * @param startingVersion the version of the model the job starts with
     * @param linear each key's linear baseline, in the series' key order (null: no linear column)
     */
    public ForecastTracker(DemoSeries series, String startingVersion, LinearBaseline[] linear) {
        this.series = series;
        this.linear = linear;
        this.startingVersion = startingVersion;
        int k = series.keys.size();
        nextStep = new float[k][];
        lower = new float[k][];
        upper = new float[k][];
        flags = new boolean[k][];
        scores = new float[k][];
        received = new int[k][];
        modelAbs = new double[k];
        baselineAbs = new double[k];
        scored = new long[k];
        farModelAbs = new double[k];
        farBaselineAbs = new double[k];
        farScored = new long[k];
        linearValues = new double[k][];
        linearAbs = new double[k];
        farLinearAbs = new double[k];
        for (int i = 0; i < k; i++) {
            if (linear != null) {
                linearValues[i] = values(series.keys.get(i));
            }
            DemoSeries.Key key = series.keys.get(i);
            keyIndex.put(key.name, i);
            nextStep[i] = new float[key.rows()];
            java.util.Arrays.fill(nextStep[i], Float.NaN);
            lower[i] = new float[key.rows()];
            java.util.Arrays.fill(lower[i], Float.NaN);
            upper[i] = new float[key.rows()];
            java.util.Arrays.fill(upper[i], Float.NaN);
            flags[i] = new boolean[key.rows()];
            scores[i] = new float[key.rows()];
            java.util.Arrays.fill(scores[i], Float.NaN);
            received[i] = new int[key.rows()];
            Map<Long, Integer> rows = new HashMap<>();
            for (int r = key.rows() - 1; r >= 0; r--) {
                rows.put(key.times[r], r); // duplicated times map to their first row
            }
            rowByTime.put(key.name, rows);
        }
    }

    /** One forecast from the output topic. */
    public synchronized void accept(Forecast f) {
        int row = accept(f.getKey(), f.getEventTime().toEpochMilli(), f.getValues(), f.getAnomalyScore(), f.getLower(),
                f.getUpper(), Boolean.TRUE.equals(f.getFlagged()));
        forecastsByVersion.merge(f.getModelVersion(), 1L, Long::sum);
        if (row >= 0 && !f.getModelVersion().equals(startingVersion)) {
            firstRowOfVersion(keyIndex.get(f.getKey()), row, f.getModelVersion());
        }
    }

    /** Notes which model version computed the forecast after a key's row: the first row of each newer version. */
    private void firstRowOfVersion(int k, int row, String version) {
        firstRowOf.computeIfAbsent(version, v -> {
            int[] rows = new int[series.keys.size()];
            java.util.Arrays.fill(rows, Integer.MAX_VALUE);
            return rows;
        });
        int[] rows = firstRowOf.get(version);
        rows[k] = Math.min(rows[k], row);
    }

    /** Whether {@code k} indexes a key of the series. */
    public boolean hasKey(int k) {
        return k >= 0 && k < series.keys.size();
    }

    /** Forecasts per model version so far. */
    public synchronized Map<String, Long> forecastsByVersion() {
        return new java.util.TreeMap<>(forecastsByVersion);
    }

    /** The first row of key {@code k} forecast by {@code version}, or -1 if none yet. */
    public synchronized int firstRowOf(String version, int k) {
        int[] rows = firstRowOf.get(version);
        return rows == null || rows[k] == Integer.MAX_VALUE ? -1 : rows[k];
    }

    /**
     * One forecast: the key, the event time it follows, its values (step-major), the job's anomaly score for that
     * observation (null when scoring is off), its interval (null when off) and whether the job flagged it. Returns
     * the row it was credited to, or -1 for an unknown key or time, or a duplicate.
     */
    public synchronized int accept(String key, long eventTime, List<Float> values, Float anomalyScore,
            List<Float> lo, List<Float> hi, boolean flagged) {
        total++;
        Integer k = keyIndex.get(key);
        Integer row = k == null ? null : rowByTime.get(key).get(eventTime);
        if (row == null) {
            unknown++;
            return -1;
        }
        // Several rows may share an event time (duplicates are stepped): credit the first without a forecast.
        DemoSeries.Key s = series.keys.get(k);
        int r = row;
        while (received[k][r] > 0 && r + 1 < s.rows() && s.times[r + 1] == eventTime) {
            r++;
        }
        if (received[k][r]++ > 0) {
            duplicates++;
            return -1;
        }
        nextStep[k][r] = values.isEmpty() ? Float.NaN : values.get(0);
        lower[k][r] = lo == null || lo.isEmpty() ? Float.NaN : lo.get(0);
        upper[k][r] = hi == null || hi.isEmpty() ? Float.NaN : hi.get(0);
        flags[k][r] = flagged;
        scores[k][r] = anomalyScore == null ? Float.NaN : anomalyScore;
        if (r + 1 < s.rows() && !values.isEmpty()) {
            float actual = s.values[r + 1];
            modelAbs[k] += Math.abs(values.get(0) - actual);
            baselineAbs[k] += Math.abs(s.values[r] - actual);
            linearAbs[k] += linear != null ? Math.abs(linearForecast(k, r, 1) - actual) : Double.NaN;
            scored[k]++;
        }
        // The last horizon step (values are horizon-major; the demo's models have one target).
        int far = values.size();
        if (far > 1 && r + far < s.rows()) {
            farStep = far;
            float actual = s.values[r + far];
            farModelAbs[k] += Math.abs(values.get(far - 1) - actual);
            farBaselineAbs[k] += Math.abs(s.values[r] - actual);
            farLinearAbs[k] += linear != null ? Math.abs(linearForecast(k, r, far) - actual) : Double.NaN;
            farScored[k]++;
        }
        return r;
    }

    /** Key k's linear baseline forecast of step {@code step} after row r: the last value until its window has filled. */
    private double linearForecast(int k, int r, int step) {
        return r < linear[k].window() - 1 ? linearValues[k][r] : linear[k].forecast(linearValues[k], r, step);
    }

    /** A key's values as the linear baseline reads them. */
    public static double[] values(DemoSeries.Key key) {
        double[] v = new double[key.rows()];
        for (int r = 0; r < v.length; r++) {
            v[r] = key.values[r];
        }
        return v;
    }

    /** The horizon step scored by {@link KeyStats#farModelMae()} (0 until a multi-step forecast arrived). */
    public synchronized int farStep() {
        return farStep;
    }

    public synchronized long total() {
        return total;
    }

    public synchronized long duplicates() {
        return duplicates;
    }

    public synchronized long unknown() {
        return unknown;
    }

    /** Running mean absolute error of the one-step forecasts and of the last value, over all keys. */
    public synchronized double[] runningMae() {
        double m = 0;
        double b = 0;
        long n = 0;
        for (int k = 0; k < scored.length; k++) {
            m += modelAbs[k];
            b += baselineAbs[k];
            n += scored[k];
        }
        return n == 0 ? new double[] {Double.NaN, Double.NaN} : new double[] {m / n, b / n};
    }

    /** Per-key figures for the summary: forecasts, scored pairs, model MAE, last-value MAE. */
    public synchronized KeyStats stats(int k) {
        int forecasts = 0;
        for (int c : received[k]) {
            forecasts += Math.min(c, 1);
        }
        return new KeyStats(series.keys.get(k).name, series.keys.get(k).rows(), forecasts, scored[k],
                scored[k] == 0 ? Double.NaN : modelAbs[k] / scored[k],
                scored[k] == 0 ? Double.NaN : baselineAbs[k] / scored[k],
                scored[k] == 0 ? Double.NaN : linearAbs[k] / scored[k],
                farScored[k] == 0 ? Double.NaN : farModelAbs[k] / farScored[k],
                farScored[k] == 0 ? Double.NaN : farBaselineAbs[k] / farScored[k],
                farScored[k] == 0 ? Double.NaN : farLinearAbs[k] / farScored[k]);
    }

    /** The job's anomaly score of each row (NaN where none). */
    public synchronized float[] anomalyScores(int k) {
        return scores[k].clone();
    }

    /** Rows the job flagged, over all keys. */
    public synchronized long flagged() {
        long n = 0;
        for (boolean[] f : flags) {
            for (boolean v : f) {
                n += v ? 1 : 0;
            }
        }
        return n;
    }

    /** Whether the job flagged each row of key {@code k}. */
    public synchronized boolean[] flags(int k) {
        return flags[k].clone();
    }

    /** The one-step interval issued after each row (NaN where none). */
    public synchronized float[][] nextStepIntervals(int k) {
        return new float[][] {lower[k].clone(), upper[k].clone()};
    }

    /**
     * Detection against the injected anomalies: an event (a contiguous injected run) counts as caught when a row
     * from its start to {@value #CATCH_WITHIN} rows after it was flagged; a flag anywhere else is false, counted
     * per 1,000 such normal rows. Only rows that got a forecast count.
     */
    public synchronized Detection detection() {
        long events = 0;
        long caught = 0;
        long falseFlags = 0;
        long normal = 0;
        for (int k = 0; k < flags.length; k++) {
            boolean[] injected = series.keys.get(k).anomalies;
            boolean[] near = new boolean[injected.length];
            for (int r = 0; r < injected.length; r++) {
                if (injected[r] && (r == 0 || !injected[r - 1]) && received[k][r] > 0) {
                    events++;
                    boolean hit = false;
                    int end = r;
                    while (end + 1 < injected.length && injected[end + 1]) {
                        end++;
                    }
                    for (int j = r; j <= Math.min(injected.length - 1, end + CATCH_WITHIN); j++) {
                        near[j] = true;
                        hit |= j <= r + CATCH_WITHIN && flags[k][j];
                    }
                    caught += hit ? 1 : 0;
                }
            }
            for (int r = 0; r < injected.length; r++) {
                if (!near[r] && received[k][r] > 0) {
                    normal++;
                    falseFlags += flags[k][r] ? 1 : 0;
                }
            }
        }
        return new Detection(events, caught, falseFlags, normal);
    }

    /** Injected events, those caught, false flags and the normal rows they fell among. */
    public record Detection(long events, long caught, long falseFlags, long normalRows) {
        public double caughtShare() {
            return events == 0 ? Double.NaN : (double) caught / events;
        }

        public double falsePerThousand() {
            return normalRows == 0 ? Double.NaN : 1000.0 * falseFlags / normalRows;
        }
    }

    /** The one-step forecast made after each row (NaN where none arrived). */
    public synchronized float[] nextStepForecasts(int k) {
        return nextStep[k].clone();
    }

    /**
     * One key's line in the summary table: one-step and last-step MAE of the forecasts, of the last value and of the
     * linear baseline (NaN without one).
     */
    public record KeyStats(String key, int events, int forecasts, long scored, double modelMae,
            double lastValueMae, double linearMae, double farModelMae, double farLastValueMae, double farLinearMae) {
    }
}
