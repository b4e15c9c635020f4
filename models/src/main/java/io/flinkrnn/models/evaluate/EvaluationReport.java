package io.flinkrnn.models.evaluate;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.flinkrnn.models.evaluate.Evaluation.KeyResult;
import io.flinkrnn.models.evaluate.Evaluation.Predictor;
import io.flinkrnn.models.json.ReportJson;
import io.flinkrnn.stepper.ForecastSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An {@link Evaluation} as a terminal table, markdown and JSON: per key, target and step, every predictor. */
public final class EvaluationReport {
    private EvaluationReport() {
    }

    /** One line per key and step shown ({@code 1} and the last step): MAE of each predictor and the model's gain. */
    public static String table(Evaluation e) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-44s %-8s %5s %11s %11s %11s %11s %11s %8s %8s%n", "key", "target",
                "step", "model", "last value", "seasonal", "moving avg", "linear", "vs last", "MASE"));
        for (KeyResult k : e.keys) {
            for (int c = 0; c < e.model.targetCount(); c++) {
                for (int step : shownSteps(e.model.steps())) {
                    Evaluation.Cell cell = k.cells()[c][step - 1];
                    double model = cell.mae(Predictor.MODEL);
                    double last = cell.mae(Predictor.LAST_VALUE);
                    b.append(String.format(Locale.ROOT, "%-44s %-8s %5d %11.5g %11.5g %11.5g %11.5g %11.5g %+7.1f%% %8.3f%n",
                            clip(k.key(), 44), clip(e.model.targets().get(c), 8), step, model, last,
                            cell.mae(Predictor.SEASONAL_NAIVE), cell.mae(Predictor.MOVING_AVERAGE),
                            cell.mae(Predictor.LINEAR), 100 * (last - model) / last, k.mase(c, step, Predictor.MODEL)));
                }
            }
        }
        return b.toString();
    }

    static int[] shownSteps(int steps) {
        return steps == 1 ? new int[] {1} : steps > 6 ? new int[] {1, 6, steps} : new int[] {1, steps};
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }

    public static String markdown(Evaluation e, String source) {
        StringBuilder b = new StringBuilder("# flink-rnn evaluation\n\n");
        b.append("Model: ").append(e.model.describe()).append("  \nData: ").append(source).append("  \nSeason: ")
                .append(e.season).append(" rows. MAE and MSE on each key's raw scale; MASE = MAE / the key's"
                        + " in-sample mean absolute one-step change. Every predictor on the same origins.\n\n");
        b.append("| key | target | step | origins |");
        for (Predictor p : Predictor.values()) {
            b.append(' ').append(p.label).append(" MAE | ");
        }
        b.append("model MSE | last value MSE | linear MSE | model MASE | last value MASE | model's forecasts by |\n"
                + "|---|---|---|---|");
        b.append("---|".repeat(Predictor.values().length + 6)).append('\n');
        for (KeyResult k : e.keys) {
            for (int c = 0; c < e.model.targetCount(); c++) {
                for (int step = 1; step <= e.model.steps(); step++) {
                    Evaluation.Cell cell = k.cells()[c][step - 1];
                    b.append(String.format(Locale.ROOT, "| %s | %s | %d | %d |", k.key(), e.model.targets().get(c), step,
                            cell.terms()));
                    for (Predictor p : Predictor.values()) {
                        b.append(String.format(Locale.ROOT, " %.6g |", cell.mae(p)));
                    }
                    b.append(String.format(Locale.ROOT, " %.6g | %.6g | %.6g | %.4f | %.4f | %s |%n",
                            cell.mse(Predictor.MODEL), cell.mse(Predictor.LAST_VALUE), cell.mse(Predictor.LINEAR),
                            k.mase(c, step, Predictor.MODEL), k.mase(c, step, Predictor.LAST_VALUE), sources(cell)));
                }
            }
        }
        return b.toString();
    }

    /** The sources of a cell's model forecasts, largest share first: "linear 62%, blend 30%, last_value 8%". */
    static String sources(Evaluation.Cell cell) {
        List<String> parts = new ArrayList<>();
        java.util.Arrays.stream(ForecastSource.values()).filter(s -> cell.share(s) > 0)
                .sorted(java.util.Comparator.comparingDouble(cell::share).reversed())
                .forEach(s -> parts.add(String.format(Locale.ROOT, "%s %.0f%%", s.reportName(), 100 * cell.share(s))));
        return String.join(", ", parts);
    }

    /**
     * {model, data, season, keys: [{key, rows, from, steps: [{target, step, origins, model: {mse, mae, mase},
     * last_value: {...}, ...one per predictor, model_sources: {network, blend, last_value, level, linear,
     * linear_mix: the share of the model's forecasts each made}}]}]}; a figure that is not finite is null.
     */
    public static String json(Evaluation e, String source) {
        List<Key> keys = new ArrayList<>();
        for (KeyResult k : e.keys) {
            List<Map<String, Object>> steps = new ArrayList<>();
            for (int c = 0; c < e.model.targetCount(); c++) {
                for (int step = 1; step <= e.model.steps(); step++) {
                    Evaluation.Cell cell = k.cells()[c][step - 1];
                    Map<String, Object> s = new LinkedHashMap<>();
                    s.put("target", e.model.targets().get(c));
                    s.put("step", step);
                    s.put("origins", cell.terms());
                    for (Predictor p : Predictor.values()) {
                        s.put(p.name().toLowerCase(Locale.ROOT), new Errors(cell.mse(p), cell.mae(p), k.mase(c, step, p)));
                    }
                    Map<String, Double> shares = new LinkedHashMap<>();
                    for (ForecastSource by : ForecastSource.values()) {
                        shares.put(by.reportName(), cell.share(by));
                    }
                    s.put("model_sources", shares);
                    steps.add(s);
                }
            }
            keys.add(new Key(k.key(), k.rows(), k.from(), steps));
        }
        return ReportJson.pretty(new Report(e.model.describe(), source, e.season, keys));
    }

    @JsonPropertyOrder({"model", "data", "season", "keys"})
    record Report(String model, String data, int season, List<Key> keys) {
    }

    @JsonPropertyOrder({"key", "rows", "from", "steps"})
    record Key(String key, int rows, int from, List<Map<String, Object>> steps) {
    }

    @JsonPropertyOrder({"mse", "mae", "mase"})
    record Errors(double mse, double mae, double mase) {
    }
}
