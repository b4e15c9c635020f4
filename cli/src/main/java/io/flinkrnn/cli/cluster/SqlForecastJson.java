package io.flinkrnn.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flinkrnn.schemas.Forecast;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a row of {@code RNN_FORECAST} as Flink's JSON format writes it to Kafka (the SQL example's sink) into the
 * {@link Forecast} record the cluster checks judge: every step's value and interval bounds from the
 * {@code forecast} array, the anomaly score and flag, the key and the row time. A row with an {@code error} has no
 * values, so it can never match a forecast.
 */
final class SqlForecastJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Flink's JSON format (SQL standard) for TIMESTAMP_LTZ: UTC, with a 'Z'. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]'Z'");

    private SqlForecastJson() {
    }

    static Forecast decode(byte[] bytes) {
        JsonNode row;
        try {
            row = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON row of RNN_FORECAST", e);
        }
        List<Float> values = new ArrayList<>();
        List<Float> lower = new ArrayList<>();
        List<Float> upper = new ArrayList<>();
        JsonNode steps = row.path("forecast");
        boolean intervals = true;
        for (JsonNode s : steps) {
            values.add(s.get("forecast_value").floatValue());
            intervals &= !s.path("lower_bound").isNull() && !s.path("lower_bound").isMissingNode();
            lower.add(s.path("lower_bound").floatValue());
            upper.add(s.path("upper_bound").floatValue());
        }
        JsonNode score = row.path("anomaly_score");
        JsonNode flag = row.path("is_anomaly");
        long time = LocalDateTime.parse(row.get("rowtime").asText(), TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
        return Forecast.newBuilder().setKey(row.get("sensor").asText()).setEventTime(java.time.Instant.ofEpochMilli(time))
                .setModelId("sql").setModelVersion(row.path("model_version").asText("")).setHorizon(values.size())
                .setValues(values).setLower(intervals && !values.isEmpty() ? lower : null)
                .setUpper(intervals && !values.isEmpty() ? upper : null)
                .setAnomalyScore(score.isNull() || score.isMissingNode() ? null : score.floatValue())
                .setFlagged(flag.isNull() || flag.isMissingNode() ? null : flag.booleanValue())
                .setBackend("sql").build();
    }
}
