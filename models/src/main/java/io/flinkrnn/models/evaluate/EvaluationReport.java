package io.flinkrnn.models.evaluate;

import io.flinkrnn.models.evaluate.Evaluation.KeyResult;
import io.flinkrnn.models.evaluate.Evaluation.Predictor;
import java.util.Locale;

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
        b.append("model MSE | last value MSE | linear MSE | model MASE | last value MASE |\n|---|---|---|---|");
        b.append("---|".repeat(Predictor.values().length + 5)).append('\n');
        for (KeyResult k : e.keys) {
            for (int c = 0; c < e.model.targetCount(); c++) {
                for (int step = 1; step <= e.model.steps(); step++) {
                    Evaluation.Cell cell = k.cells()[c][step - 1];
                    b.append(String.format(Locale.ROOT, "| %s | %s | %d | %d |", k.key(), e.model.targets().get(c), step,
                            cell.terms()));
                    for (Predictor p : Predictor.values()) {
                        b.append(String.format(Locale.ROOT, " %.6g |", cell.mae(p)));
                    }
                    b.append(String.format(Locale.ROOT, " %.6g | %.6g | %.6g | %.4f | %.4f |%n", cell.mse(Predictor.MODEL),
                            cell.mse(Predictor.LAST_VALUE), cell.mse(Predictor.LINEAR),
                            k.mase(c, step, Predictor.MODEL), k.mase(c, step, Predictor.LAST_VALUE)));
                }
            }
        }
        return b.toString();
    }

    public static String json(Evaluation e, String source) {
        StringBuilder b = new StringBuilder("{\n  \"model\": \"").append(esc(e.model.describe())).append("\",\n")
                .append("  \"data\": \"").append(esc(source)).append("\",\n  \"season\": ").append(e.season)
                .append(",\n  \"keys\": [");
        for (int i = 0; i < e.keys.size(); i++) {
            KeyResult k = e.keys.get(i);
            b.append(i == 0 ? "\n" : ",\n").append("    {\"key\": \"").append(esc(k.key())).append("\", \"rows\": ")
                    .append(k.rows()).append(", \"from\": ").append(k.from()).append(", \"steps\": [");
            boolean first = true;
            for (int c = 0; c < e.model.targetCount(); c++) {
                for (int step = 1; step <= e.model.steps(); step++) {
                    Evaluation.Cell cell = k.cells()[c][step - 1];
                    b.append(first ? "\n" : ",\n").append(String.format(Locale.ROOT,
                            "      {\"target\": \"%s\", \"step\": %d, \"origins\": %d", esc(e.model.targets().get(c)),
                            step, cell.terms()));
                    first = false;
                    for (Predictor p : Predictor.values()) {
                        b.append(String.format(Locale.ROOT, ", \"%s\": {\"mse\": %s, \"mae\": %s, \"mase\": %s}",
                                p.name().toLowerCase(Locale.ROOT), num(cell.mse(p)), num(cell.mae(p)),
                                num(k.mase(c, step, p))));
                    }
                    b.append('}');
                }
            }
            b.append("\n    ]}");
        }
        return b.append("\n  ]\n}\n").toString();
    }

    private static String num(double d) {
        return Double.isFinite(d) ? Double.toString(d) : "null";
    }

    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
