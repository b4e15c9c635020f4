package io.flinkrnn.sql;

import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.Scaling;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

/** Test data for the SQL function: a model file, and readings (sensor, load, temperature, ts) as a timed table. */
final class SqlRows {
    static final int KEYS = 3;
    static final long HOUR = 3_600_000L;

    /** A row of the readings: its key, features and event time. */
    record Reading(String sensor, Double load, Double temperature, long time) {
        Row row() {
            return Row.of(sensor, load, temperature, time);
        }
    }

    private SqlRows() {
    }

    /** train's rules around a small LSTM with two features and one target (load), six steps. */
    static ForecastModel model() {
        return ForecastModel.builder(RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 2, 8, 1, 6, 11))
                .features(List.of("load", "temperature")).targets(List.of("load")).scaling(Scaling.PER_KEY, 500)
                .relativeToLast(true).guard(true).guardRecent(5).guardLevel(12).guardEvidence(1f).build();
    }

    /** The same with the guard's linear model over each key's last 300 values. */
    static ForecastModel linearModel() {
        return ForecastModel.builder(model().network()).features(List.of("load", "temperature"))
                .targets(List.of("load")).scaling(Scaling.PER_KEY, 500).relativeToLast(true).guard(true).guardRecent(5)
                .guardLevel(12).guardEvidence(1f).guardLinear(300).build();
    }

    static Path write(ForecastModel m, Path dir) throws IOException {
        Path p = dir.resolve("load.avro");
        try (OutputStream out = Files.newOutputStream(p)) {
            ModelArtifacts.write(m, Map.of("source", "sql test"), out);
        }
        return p;
    }

    /** {@code rows} hourly readings of each key, interleaved by time, with the bad rows named in the test. */
    static List<Reading> readings(int rows) {
        List<Reading> out = new ArrayList<>();
        for (int t = 0; t < rows; t++) {
            for (int k = 0; k < KEYS; k++) {
                double load = 100 + 20 * Math.sin(t / 4.0 + k) + (t * 13 + k * 7) % 5;
                double temperature = 10 + 5 * Math.cos(t / 24.0 * 2 * Math.PI) + k;
                out.add(new Reading("s" + k, load, temperature, t * HOUR));
                if (k == 1 && t == 50) {
                    out.add(new Reading("s1", Double.NaN, temperature, t * HOUR + 1));
                }
                if (k == 2 && t == 80) {
                    out.add(new Reading("s2", load, null, t * HOUR + 2));
                }
                if (k == 0 && t == 90) {
                    out.add(new Reading("s0", load, temperature, t * HOUR - HOUR / 2));
                }
            }
        }
        return out;
    }

    /** The readings as a table with {@code ts} its event time (watermarks 2 h behind: no row is late). */
    static Table table(StreamExecutionEnvironment env, StreamTableEnvironment tEnv, List<Reading> readings) {
        List<Row> rows = new ArrayList<>();
        for (Reading r : readings) {
            rows.add(r.row());
        }
        DataStream<Row> s = env.fromData(Types.ROW_NAMED(new String[] {"sensor", "load", "temperature", "millis"},
                Types.STRING, Types.DOUBLE, Types.DOUBLE, Types.LONG), rows.toArray(new Row[0]))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Row>forBoundedOutOfOrderness(Duration.ofHours(2))
                        .withTimestampAssigner((r, ts) -> r.<Long>getFieldAs("millis")));
        return tEnv.fromDataStream(s, Schema.newBuilder().columnByMetadata("ts", DataTypes.TIMESTAMP_LTZ(3), "rowtime")
                .watermark("ts", "SOURCE_WATERMARK()").build());
    }

    static Instant instant(long millis) {
        return Instant.ofEpochMilli(millis);
    }
}
