package io.flinkrnn.cli.demo;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores forecasts as they arrive against the data the demo streams: the one-step-ahead forecast made
 * after row i of a key is compared with row i+1's value, and so is the last-value baseline (row i's value).
 * Also counts forecasts per key, so the end of the run can say whether every observation got exactly one.
 * Thread-safe: the consumer writes, the progress printer reads.
 */
public final class ForecastTracker {
    private final DemoSeries series;
    private final Map<String, Integer> keyIndex = new HashMap<>();
    private final Map<String, Map<Long, Integer>> rowByTime = new HashMap<>();
    /** A forecast whose anomaly score reaches this is counted and drawn as flagged. */
    public static final float FLAG_SCORE = 6f;
    private final float[][] nextStep;
    private final float[][] scores;
    private final int[][] received;
    private final double[] modelAbs;
    private final double[] baselineAbs;
    private final long[] scored;
    private final double[] farModelAbs;
    private final double[] farBaselineAbs;
    private final long[] farScored;
    private int farStep;
    private long total;
    private long duplicates;
    private long unknown;

    public ForecastTracker(DemoSeries series) {
        this.series = series;
        int k = series.keys.size();
        nextStep = new float[k][];
        scores = new float[k][];
        received = new int[k][];
        modelAbs = new double[k];
        baselineAbs = new double[k];
        scored = new long[k];
        farModelAbs = new double[k];
        farBaselineAbs = new double[k];
        farScored = new long[k];
        for (int i = 0; i < k; i++) {
            DemoSeries.Key key = series.keys.get(i);
            keyIndex.put(key.name, i);
            nextStep[i] = new float[key.rows()];
            java.util.Arrays.fill(nextStep[i], Float.NaN);
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

    /**
     * One forecast from the output topic: the key, the event time it follows, its values (horizon-major) and
     * the job's anomaly score for that observation (null when scoring is off or not yet warmed up).
     */
    public synchronized void accept(String key, long eventTime, List<Float> values, Float anomalyScore) {
        total++;
        Integer k = keyIndex.get(key);
        Integer row = k == null ? null : rowByTime.get(key).get(eventTime);
        if (row == null) {
            unknown++;
            return;
        }
        // Several rows may share an event time (duplicates are stepped): credit the first without a forecast.
        DemoSeries.Key s = series.keys.get(k);
        int r = row;
        while (received[k][r] > 0 && r + 1 < s.rows() && s.times[r + 1] == eventTime) {
            r++;
        }
        if (received[k][r]++ > 0) {
            duplicates++;
            return;
        }
        nextStep[k][r] = values.isEmpty() ? Float.NaN : values.get(0);
        scores[k][r] = anomalyScore == null ? Float.NaN : anomalyScore;
        if (r + 1 < s.rows() && !values.isEmpty()) {
            float actual = s.values[r + 1];
            modelAbs[k] += Math.abs(values.get(0) - actual);
            baselineAbs[k] += Math.abs(s.values[r] - actual);
            scored[k]++;
        }
        // The last horizon step (values are horizon-major; the demo's models have one target).
        int far = values.size();
        if (far > 1 && r + far < s.rows()) {
            farStep = far;
            float actual = s.values[r + far];
            farModelAbs[k] += Math.abs(values.get(far - 1) - actual);
            farBaselineAbs[k] += Math.abs(s.values[r] - actual);
            farScored[k]++;
        }
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
                farScored[k] == 0 ? Double.NaN : farModelAbs[k] / farScored[k],
                farScored[k] == 0 ? Double.NaN : farBaselineAbs[k] / farScored[k]);
    }

    /** The job's anomaly score of each row (NaN where none). */
    public synchronized float[] anomalyScores(int k) {
        return scores[k].clone();
    }

    /** Rows whose anomaly score reached {@link #FLAG_SCORE}, over all keys. */
    public synchronized long flagged() {
        long n = 0;
        for (float[] s : scores) {
            for (float v : s) {
                n += v >= FLAG_SCORE ? 1 : 0;
            }
        }
        return n;
    }

    /** The one-step forecast made after each row (NaN where none arrived). */
    public synchronized float[] nextStepForecasts(int k) {
        return nextStep[k].clone();
    }

    /** One key's line in the summary table: one-step and last-step MAE of the forecasts and of the last value. */
    public record KeyStats(String key, int events, int forecasts, long scored, double modelMae,
            double lastValueMae, double farModelMae, double farLastValueMae) {
    }
}
