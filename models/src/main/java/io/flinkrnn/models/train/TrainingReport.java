package io.flinkrnn.models.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.flinkrnn.models.json.ReportJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a training run did and how good the result is: loss per epoch, the chosen epoch, and validation (and,
 * when the split has one, test) MSE/MAE on the normalised scale for the model and for two baselines — the
 * last value, and the value one season earlier. Rendered as markdown for people and JSON for tools.
 */
public final class TrainingReport {
    /**
     * One epoch: mean squared error of its batches' training terms, validation MSE and MAE of the float32 model
     * (NaN without validation rows), wall time.
     */
    @JsonPropertyOrder({"epoch", "trainMse", "validationMse", "validationMae", "seconds"})
    public static final class Epoch {
        @JsonProperty("epoch")
        public final int number;
        public final double trainMse;
        public final double validationMse;
        public final double validationMae;
        public final double seconds;

        Epoch(int number, double trainMse, double validationMse, double validationMae, double seconds) {
            this.number = number;
            this.trainMse = trainMse;
            this.validationMse = validationMse;
            this.validationMae = validationMae;
            this.seconds = seconds;
        }
    }

    /** The model and the baselines on one part of the split, on the same rows. */
    @JsonPropertyOrder({"model", "lastValue", "seasonalNaive", "linear"})
    public static final class Scores {
        public final ForecastErrors model;
        public final ForecastErrors lastValue;
        public final ForecastErrors seasonalNaive;
        /** Ridge on the last 96 values relative to the last (NLinear-style), fitted on the training rows. */
        public final ForecastErrors linear;

        Scores(ForecastErrors model, ForecastErrors lastValue, ForecastErrors seasonalNaive, ForecastErrors linear) {
            this.model = model;
            this.lastValue = lastValue;
            this.seasonalNaive = seasonalNaive;
            this.linear = linear;
        }
    }

    public final Map<String, String> config;
    public final Map<String, String> data;
    public final List<Epoch> epochs = new ArrayList<>();
    public int bestEpoch;
    public boolean stoppedEarly;
    public Scores validation;
    public Scores test;
    /** Per key (training series), the validation figures, in the data's key order. */
    public final java.util.Map<String, Scores> validationByKey = new java.util.LinkedHashMap<>();
    public double trainSeconds;
    /** Training windows (samples) through forward and backward per second, averaged over the run. */
    public double samplesPerSecond;
    public int parameters;

    TrainingReport(Map<String, String> config, Map<String, String> data) {
        this.config = new LinkedHashMap<>(config);
        this.data = new LinkedHashMap<>(data);
    }

    public String toMarkdown() {
        StringBuilder b = new StringBuilder("# flink-rnn training report\n\n");
        b.append("| setting | value |\n|---|---|\n");
        config.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        data.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        b.append(String.format(Locale.ROOT, "| parameters | %d |%n| training time | %.1f s |%n"
                + "| samples/s | %.1f |%n| chosen epoch | %d%s |%n%n", parameters, trainSeconds, samplesPerSecond,
                bestEpoch, stoppedEarly ? " (stopped early)" : ""));
        b.append("## Errors on the normalised scale\n\n| split | predictor | MSE | MAE | terms |\n|---|---|---|---|---|\n");
        scoresRows(b, "validation", validation);
        scoresRows(b, "test", test);
        if (validationByKey.size() > 1) {
            b.append("\n## Validation per key\n\n| key | model MSE | model MAE | last value MSE | last value MAE |"
                    + " linear MSE | model vs last value (MAE) |\n|---|---|---|---|---|---|---|\n");
            validationByKey.forEach((k, v) -> b.append(String.format(Locale.ROOT,
                    "| %s | %.5f | %.5f | %.5f | %.5f | %.5f | %+.1f%% |%n", k, v.model.mse, v.model.mae,
                    v.lastValue.mse, v.lastValue.mae, v.linear.mse, 100 * (v.lastValue.mae - v.model.mae)
                            / v.lastValue.mae)));
        }
        b.append("\n## Epochs\n\n| epoch | train MSE | validation MSE | validation MAE | seconds |\n"
                + "|---|---|---|---|---|\n");
        for (Epoch e : epochs) {
            b.append(String.format(Locale.ROOT, "| %d | %.5f | %.5f | %.5f | %.2f |%n", e.number, e.trainMse,
                    e.validationMse, e.validationMae, e.seconds));
        }
        return b.toString();
    }

    private static void scoresRows(StringBuilder b, String split, Scores s) {
        if (s == null) {
            return;
        }
        row(b, split, "model", s.model);
        row(b, split, "last value", s.lastValue);
        row(b, split, "seasonal naive", s.seasonalNaive);
        row(b, split, "linear (ridge, 96 lags)", s.linear);
    }

    private static void row(StringBuilder b, String split, String name, ForecastErrors e) {
        b.append(String.format(Locale.ROOT, "| %s | %s | %.5f | %.5f | %d |%n", split, name, e.mse, e.mae, e.terms));
    }

    /** The report for tools: the JSON {@code MODEL.report.json} has always held (per-key figures are markdown only). */
    public String toJson() {
        return ReportJson.pretty(new Json(config, data, parameters, trainSeconds, samplesPerSecond, bestEpoch,
                stoppedEarly, validation, test, epochs));
    }

    @JsonPropertyOrder({"config", "data", "parameters", "trainSeconds", "samplesPerSecond", "bestEpoch",
            "stoppedEarly", "validation", "test", "epochs"})
    record Json(Map<String, String> config, Map<String, String> data, int parameters, double trainSeconds,
            double samplesPerSecond, int bestEpoch, boolean stoppedEarly, Scores validation, Scores test,
            List<Epoch> epochs) {
    }
}
