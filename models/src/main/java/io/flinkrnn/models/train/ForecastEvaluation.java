package io.flinkrnn.models.train;

import io.flinkrnn.kernels.model.Normalization;
import io.flinkrnn.models.evaluate.LinearBaseline;
import io.flinkrnn.models.evaluate.Replay;
import io.flinkrnn.stepper.ForecastModel;
import java.util.List;

/**
 * Scores a model the way it will run in the stream: the float32 model through the {@link KeyStepper}, one step
 * per row from a fresh key, so the figures in a training report are those of the exact bits written to the
 * artifact (per-key scaling, relative forecasts and the guard included). Errors are measured on the targets'
 * global z-score of the training rows (the scale of the published benchmarks), over every origin whose whole
 * horizon lies inside the split.
 */
final class ForecastEvaluation {
    private ForecastEvaluation() {
    }

    /** The forecasts (raw scale) after every row, [rows][outputs], for each series, through the stepper. */
    static float[][] forecasts(ForecastModel model, List<PreparedSeries> series) {
        List<Replay.Series> keys = new java.util.ArrayList<>();
        for (PreparedSeries p : series) {
            keys.add(new Replay.Series(p.raw.key, p.raw.times, p.raw.features));
        }
        return Replay.forecasts(model, keys, 1);
    }

    /** What is scored: the model's forecasts, the last value, the value one season earlier, the linear baseline. */
    enum Predictor { MODEL, LAST_VALUE, SEASONAL_NAIVE, LINEAR }

    /**
     * The linear baseline of every series and target ({@link LinearBaseline}), fitted on the training rows with
     * its regularisation chosen on the validation rows: [series][target].
     */
    static LinearBaseline[][] linear(List<PreparedSeries> series, int horizon, int targets) {
        LinearBaseline[][] out = new LinearBaseline[series.size()][targets];
        for (int s = 0; s < series.size(); s++) {
            PreparedSeries p = series.get(s);
            for (int c = 0; c < targets; c++) {
                out[s][c] = LinearBaseline.forSplit(column(p, c, targets), horizon, p.trainEnd, p.valEnd);
            }
        }
        return out;
    }

    static double[] column(PreparedSeries p, int c, int targets) {
        double[] v = new double[p.rows];
        for (int r = 0; r < p.rows; r++) {
            v[r] = p.target(r, c, targets);
        }
        return v;
    }

    /**
     * Errors over origins t with t+1 >= from and t+horizon < to (rows [from, to) of each series), on the scale of
     * {@code report} (each target's z-score).
     *
     * @param forecasts per series [rows][horizon*T] (step-major, raw scale), only read for {@link Predictor#MODEL}
     */
    static ForecastErrors errors(Predictor predictor, List<PreparedSeries> series, float[][] forecasts,
            int horizon, int targets, int season, SplitPart part, Normalization report) {
        return errors(predictor, series, forecasts, null, horizon, targets, season, part, report);
    }

    static ForecastErrors errors(Predictor predictor, List<PreparedSeries> series, float[][] forecasts,
            LinearBaseline[][] linear, int horizon, int targets, int season, SplitPart part, Normalization report) {
        double sse = 0;
        double sae = 0;
        long terms = 0;
        int outputs = horizon * targets;
        float[] std = report.outputStdCopy();
        for (int s = 0; s < series.size(); s++) {
            PreparedSeries p = series.get(s);
            int from = part.from(p);
            int to = part.to(p);
            double[][] columns = new double[targets][];
            if (predictor == Predictor.LINEAR) {
                for (int c = 0; c < targets; c++) {
                    columns[c] = column(p, c, targets);
                }
            }
            for (int t = Math.max(0, from - 1); t + horizon < to; t++) {
                for (int k = 1; k <= horizon; k++) {
                    for (int c = 0; c < targets; c++) {
                        double actual = p.target(t + k, c, targets);
                        double predicted;
                        switch (predictor) {
                            case MODEL:
                                predicted = forecasts[s][t * outputs + (k - 1) * targets + c];
                                break;
                            case LAST_VALUE:
                                predicted = p.target(t, c, targets);
                                break;
                            case LINEAR:
                                if (t < linear[s][c].window() - 1) {
                                    continue;
                                }
                                predicted = linear[s][c].forecast(columns[c], t, k);
                                break;
                            default: {
                                int back = t + k - season * ((k + season - 1) / season);
                                if (back < 0) {
                                    continue;
                                }
                                predicted = p.target(back, c, targets);
                            }
                        }
                        double e = (predicted - actual) / std[c];
                        sse += e * e;
                        sae += Math.abs(e);
                        terms++;
                    }
                }
            }
        }
        return new ForecastErrors(sse, sae, terms);
    }

    /** Which rows of a series a score covers. */
    enum SplitPart {
        VALIDATION, TEST;

        int from(PreparedSeries p) {
            return this == VALIDATION ? p.trainEnd : p.valEnd;
        }

        int to(PreparedSeries p) {
            return this == VALIDATION ? p.valEnd : p.testEnd;
        }
    }
}
