package io.flinkrnn.sql;

import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.StepBatch;
import java.util.List;
import org.apache.flink.table.data.GenericArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.StringData;

/**
 * The rows {@link RnnForecast} emits, in the column order of {@link #TYPE}: from a stepped row, the first target's
 * step-1 forecast and interval, every step and target as an array, the actual value, the anomaly score and flag,
 * the model version, and last (so that positional readers of the earlier columns keep them) whether the key is
 * anomalous and the target that made it so; from a row the stepper turned away (what the DataStream job sends to dead letters), only
 * the actual value, the model version and the {@code error}. The values are the stepper's floats as they are,
 * so they equal the operator's and {@code predict}'s bit for bit. They are Flink's internal rows: an external
 * {@code Row} cost a conversion of every field and of the forecast array on every row.
 */
final class ForecastRows {
    /** The function's own columns; Flink puts the partition keys before them and the row time after them. */
    static final String TYPE = "ROW<forecast_value FLOAT, lower_bound FLOAT, upper_bound FLOAT, "
            + "forecast ARRAY<ROW<step INT, target STRING, forecast_value FLOAT, lower_bound FLOAT, upper_bound FLOAT>>, "
            + "actual_value FLOAT, anomaly_score FLOAT, is_anomaly BOOLEAN, model_version STRING, error STRING, "
            + "is_anomalous BOOLEAN, anomaly_cause STRING>";

    private final List<String> targets;
    private final StringData[] targetNames;
    private final int outputs;
    private final int actualAt;
    private final boolean intervals;
    private final boolean scoring;
    private final StringData version;

    ForecastRows(ForecastModel model, boolean intervals, boolean scoring, String version) {
        this.targets = model.targets();
        this.outputs = model.outputs();
        this.actualAt = model.targetInput(0);
        this.intervals = intervals;
        this.scoring = scoring;
        this.version = StringData.fromString(version);
        this.targetNames = targets.stream().map(StringData::fromString).toArray(StringData[]::new);
    }

    /** The first target's actual value in {@code values}, or null where observations do not carry it. */
    Float actual(float[] values) {
        return actualAt >= 0 && values != null ? values[actualAt] : null;
    }

    /** Row {@code r} of {@code b}, stepped. */
    RowData forecast(StepBatch b, int r, float[] values) {
        GenericRowData[] all = new GenericRowData[outputs];
        int t = targets.size();
        for (int i = 0; i < outputs; i++) {
            all[i] = GenericRowData.of(i / t + 1, targetNames[i % t], b.forecast(r, i), lower(b, r, i), upper(b, r, i));
        }
        return GenericRowData.of(b.forecast(r, 0), lower(b, r, 0), upper(b, r, 0), new GenericArrayData(all),
                actual(values), scoring ? b.score(r) : null, scoring ? b.flagged(r) : null, version, null,
                scoring ? b.anomalous(r) : null,
                scoring && b.anomalous(r) && b.cause(r) >= 0 ? targetNames[b.cause(r)] : null);
    }

    /** A row that was not stepped: {@code error} says why, as a dead letter's reason and message would. */
    RowData error(String error, float[] values) {
        return GenericRowData.of(null, null, null, null, actual(values), null, null, version,
                StringData.fromString(error), null, null);
    }

    private Float lower(StepBatch b, int r, int i) {
        return intervals ? b.lower(r, i) : null;
    }

    private Float upper(StepBatch b, int r, int i) {
        return intervals ? b.upper(r, i) : null;
    }
}
