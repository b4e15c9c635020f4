package io.flinkrnn.models.train;

import io.flinkrnn.kernels.StepBackend;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.Normalization;
import io.flinkrnn.kernels.model.RnnModel;
import java.util.List;

/**
 * Scores a model the way it will run in the stream: the float32 model through the kernels' Java backend,
 * one step per row from a zero state, inputs normalised by the model's own {@link Normalization} — so the
 * figures in a training report are those of the exact bits written to the artifact. Errors are on the
 * normalised target scale, over every origin whose whole horizon lies inside the split.
 */
final class ForecastEvaluation {
    private ForecastEvaluation() {
    }

    /** The head outputs (normalised scale) after every row, [rows][outputs], for each series. */
    static float[][] forecasts(RnnModel model, List<PreparedSeries> series) {
        float[][] all = new float[series.size()][];
        int f = model.inputSize();
        int o = model.horizon();
        Normalization norm = model.normalization();
        try (StepBackend backend = new CpuStepBackend(model, 1, "training evaluation")) {
            float[] x = new float[f];
            float[] y = new float[o];
            for (int s = 0; s < series.size(); s++) {
                TrainingData.Series raw = series.get(s).raw;
                float[] state = new float[model.stateSize()];
                float[] out = new float[raw.rows * o];
                for (int r = 0; r < raw.rows; r++) {
                    for (int j = 0; j < f; j++) {
                        x[j] = norm.normalizeInput(j, raw.features[r * f + j]);
                    }
                    backend.step(1, x, state, y);
                    System.arraycopy(y, 0, out, r * o, o);
                }
                all[s] = out;
            }
        }
        return all;
    }

    /** What is scored: the model's forecasts, the last value, or the value one season earlier. */
    enum Predictor { MODEL, LAST_VALUE, SEASONAL_NAIVE }

    /**
     * Errors over origins t with t+1 >= from and t+horizon < to (rows [from, to) of each series).
     *
     * @param forecasts per series [rows][horizon*T] (horizon-major), only read for {@link Predictor#MODEL}
     */
    static ForecastErrors errors(Predictor predictor, List<PreparedSeries> series, float[][] forecasts,
            int horizon, int targets, int season, SplitPart part) {
        double sse = 0;
        double sae = 0;
        long terms = 0;
        int outputs = horizon * targets;
        for (int s = 0; s < series.size(); s++) {
            PreparedSeries p = series.get(s);
            int from = part.from(p);
            int to = part.to(p);
            for (int t = Math.max(0, from - 1); t + horizon < to; t++) {
                for (int k = 1; k <= horizon; k++) {
                    for (int c = 0; c < targets; c++) {
                        double actual = p.y[(t + k) * targets + c];
                        double predicted;
                        switch (predictor) {
                            case MODEL:
                                predicted = forecasts[s][t * outputs + (k - 1) * targets + c];
                                break;
                            case LAST_VALUE:
                                predicted = p.y[t * targets + c];
                                break;
                            default: {
                                int back = t + k - season * ((k + season - 1) / season);
                                if (back < 0) {
                                    continue;
                                }
                                predicted = p.y[back * targets + c];
                            }
                        }
                        double e = predicted - actual;
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
