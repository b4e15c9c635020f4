package io.flinkrnn.models.evaluate;

import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.ForecastSource;
import java.util.ArrayList;
import java.util.List;

/**
 * What a user runs before deploying a model: the whole file replayed through the stepper (state carried from
 * each key's first row, as a stream would), and over each key's evaluation rows, per target and horizon step,
 * the model beside the last value, the seasonal naive forecast, a moving average over one season and the
 * linear baseline ({@link LinearBaseline}, fitted per key on the rows before the evaluation range), on the
 * same origins: every origin t >= from - 1 whose whole horizon lies in the range (to the file's end, or an end
 * row). MSE and MAE on the key's raw
 * scale, and MASE: MAE over the key's in-sample mean absolute one-step change (rows before {@code from}); and per
 * cell, the share of the model's forecasts that each of the guard's candidates made ({@link ForecastSource}).
 */
public final class Evaluation {
    /** The predictors, in report order. */
    public enum Predictor {
        MODEL("model"), LAST_VALUE("last value"), SEASONAL_NAIVE("seasonal naive"), MOVING_AVERAGE("moving average"),
        LINEAR("linear");

        public final String label;

        Predictor(String label) {
            this.label = label;
        }
    }

    /** Sums for one key, target and step, per predictor; and how many of the model's forecasts each source made. */
    public static final class Cell {
        final double[] sse = new double[Predictor.values().length];
        final double[] sae = new double[Predictor.values().length];
        final long[] sources = new long[ForecastSource.values().length];
        long terms;

        /** The share of the model's forecasts over these origins that the guard's candidate {@code s} made. */
        public double share(ForecastSource s) {
            return terms == 0 ? 0 : (double) sources[s.ordinal()] / terms;
        }

        public double mse(Predictor p) {
            return sse[p.ordinal()] / terms;
        }

        public double mae(Predictor p) {
            return sae[p.ordinal()] / terms;
        }

        public long terms() {
            return terms;
        }
    }

    /** One key's figures: [target][step]. */
    public record KeyResult(String key, int rows, int from, double naiveScale, Cell[][] cells) {
        public double mase(int target, int step, Predictor p) {
            return cells[target][step - 1].mae(p) / naiveScale;
        }
    }

    public final ForecastModel model;
    public final int season;
    public final List<KeyResult> keys;

    private Evaluation(ForecastModel model, int season, List<KeyResult> keys) {
        this.model = model;
        this.season = season;
        this.keys = keys;
    }

    /**
     * @param from per key, the first evaluation row
     * @param season the seasonal naive forecast's and the moving average's period, in rows
     */
    public static Evaluation run(ForecastModel model, List<Replay.Series> series, int[] from, int season,
            int threads) {
        return run(model, series, from, null, season, threads, io.flinkrnn.stepper.Adaptation.OFF);
    }

    /**
     * The same over rows [from, to) of each key (to null: to the end, so a validation range can be scored
     * apart from the test rows after it), with per-key adaptation.
     */
    public static Evaluation run(ForecastModel model, List<Replay.Series> series, int[] from, int[] to, int season,
            int threads, io.flinkrnn.stepper.Adaptation adaptation) {
        Replay.Replayed replayed = Replay.replay(model, series, threads, adaptation);
        float[][] forecasts = replayed.forecasts();
        int targets = model.targetCount();
        int steps = model.steps();
        int f = model.featureCount();
        List<KeyResult> out = new ArrayList<>();
        for (int k = 0; k < series.size(); k++) {
            Replay.Series s = series.get(k);
            int rows = to == null ? s.rows() : Math.max(1, Math.min(to[k], s.rows()));
            int start = Math.max(1, Math.min(from[k], rows));
            Cell[][] cells = new Cell[targets][steps];
            double naive = 0;
            long naiveTerms = 0;
            for (int c = 0; c < targets; c++) {
                double[] v = new double[rows];
                for (int r = 0; r < rows; r++) {
                    v[r] = s.features()[r * f + model.targetInput(c)];
                }
                for (int r = 1; r < start; r++) {
                    naive += Math.abs(v[r] - v[r - 1]);
                    naiveTerms++;
                }
                LinearBaseline linear = LinearBaseline.fit(v, LinearBaseline.WINDOW, steps, start, -1, -1);
                double[] movingAverage = movingAverages(v, season, start - 1);
                for (int step = 1; step <= steps; step++) {
                    Cell cell = new Cell();
                    cells[c][step - 1] = cell;
                    for (int t = start - 1; t + steps < rows; t++) {
                        double actual = v[t + step];
                        double[] p = new double[Predictor.values().length];
                        int at = t * model.outputs() + (step - 1) * targets + c;
                        p[Predictor.MODEL.ordinal()] = forecasts[k][at];
                        cell.sources[replayed.source(k, at).ordinal()]++;
                        p[Predictor.LAST_VALUE.ordinal()] = v[t];
                        int back = t + step - season * ((step + season - 1) / season);
                        p[Predictor.SEASONAL_NAIVE.ordinal()] = back >= 0 ? v[back] : v[t];
                        p[Predictor.MOVING_AVERAGE.ordinal()] = movingAverage[t];
                        p[Predictor.LINEAR.ordinal()] = t >= linear.window() - 1 ? linear.forecast(v, t, step) : v[t];
                        for (int i = 0; i < p.length; i++) {
                            double e = p[i] - actual;
                            cell.sse[i] += e * e;
                            cell.sae[i] += Math.abs(e);
                        }
                        cell.terms++;
                    }
                }
            }
            double scale = naiveTerms > 0 && naive > 0 ? naive / naiveTerms : 1;
            out.add(new KeyResult(s.key(), rows, start, scale, cells));
        }
        return new Evaluation(model, season, out);
    }

    /**
     * The mean of the last {@code season} values up to each origin t >= from (the same for every step, so computed
     * once per origin, not once per step).
     */
    private static double[] movingAverages(double[] v, int season, int from) {
        double[] ma = new double[v.length];
        for (int t = Math.max(0, from); t < v.length; t++) {
            double sum = 0;
            int n = 0;
            for (int j = Math.max(0, t - season + 1); j <= t; j++) {
                sum += v[j];
                n++;
            }
            ma[t] = sum / n;
        }
        return ma;
    }

    /** The seasonal period a sampling interval suggests: a day of sub-daily rows, a week of daily rows, else 1. */
    public static int seasonFor(java.time.Duration interval) {
        long ms = Math.max(1, interval.toMillis());
        if (ms < 86_400_000L) {
            return (int) Math.max(1, 86_400_000L / ms);
        }
        if (ms < 7 * 86_400_000L) {
            return (int) Math.max(1, 7 * 86_400_000L / ms);
        }
        return 1;
    }
}
