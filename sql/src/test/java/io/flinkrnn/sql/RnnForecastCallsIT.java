package io.flinkrnn.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.stepper.ForecastModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * How {@code RNN_FORECAST} answers calls that cannot work (one line naming the argument), what its state TTL does,
 * and what Flink 2.2 does with a row behind the watermark.
 */
class RnnForecastCallsIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(1).build());

    @TempDir
    Path dir;

    /** Runs {@code sql} over {@code readings}, one row at a time, a watermark right behind every row. */
    static List<Row> run(String sql, List<SqlRows.Reading> readings, String ttl) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
        if (ttl != null) {
            tEnv.getConfig().set("table.exec.state.ttl", ttl);
        }
        List<Row> rows = readings.stream().map(SqlRows.Reading::row).collect(Collectors.toList());
        DataStream<Row> s = env.fromData(Types.ROW_NAMED(new String[] {"sensor", "load", "temperature", "millis"},
                Types.STRING, Types.DOUBLE, Types.DOUBLE, Types.LONG), rows.toArray(new Row[0]))
                .map(r -> {
                    if ("pause".equals(r.getField(0))) {
                        Thread.sleep(1500);
                    }
                    return r;
                }).returns(Types.ROW_NAMED(new String[] {"sensor", "load", "temperature", "millis"},
                        Types.STRING, Types.DOUBLE, Types.DOUBLE, Types.LONG))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Row>forGenerator(c -> new EveryRow())
                        .withTimestampAssigner((r, ts) -> r.<Long>getFieldAs("millis")));
        tEnv.createTemporaryView("readings", tEnv.fromDataStream(s, Schema.newBuilder()
                .columnByMetadata("ts", DataTypes.TIMESTAMP_LTZ(3), "rowtime").watermark("ts", "SOURCE_WATERMARK()")
                .build()));
        tEnv.createTemporarySystemFunction("RNN_FORECAST", RnnForecast.class);
        List<Row> out = new ArrayList<>();
        try (CloseableIterator<Row> it = tEnv.executeSql(sql).collect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    /** A watermark 1 ms behind each row's time, at once. */
    static final class EveryRow implements WatermarkGenerator<Row> {
        private long max = Long.MIN_VALUE;

        @Override
        public void onEvent(Row r, long ts, WatermarkOutput out) {
            max = Math.max(max, ts);
            out.emitWatermark(new Watermark(max - 1));
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput out) {
        }
    }

    String call(Path model, String features, String more) {
        return "SELECT * FROM RNN_FORECAST(input => TABLE readings PARTITION BY sensor, model => '" + model.toUri()
                + "', features => DESCRIPTOR(" + features + "), on_time => DESCRIPTOR(ts)" + more + ")";
    }

    static String failure(Exception e) {
        return ExceptionUtils.findThrowable(e, t -> t.getMessage() != null && t.getMessage().startsWith("RNN_FORECAST"))
                .map(Throwable::getMessage).orElseGet(() -> ExceptionUtils.stringifyException(e));
    }

    @Test
    @Timeout(120)
    void aCallThatCannotWorkFailsWithOneLineNamingTheArgument() throws Exception {
        Path model = SqlRows.write(SqlRows.model(), dir);
        List<SqlRows.Reading> readings = SqlRows.readings(3);
        Exception missing = assertThrows(Exception.class, () -> run(call(dir.resolve("nope.avro"), "load, temperature",
                ""), readings, null));
        assertTrue(failure(missing).matches("RNN_FORECAST: model .*nope.avro: no such file"), failure(missing));
        Exception features = assertThrows(Exception.class, () -> run(call(model, "load", ""), readings, null));
        assertEquals("RNN_FORECAST: features lists 1 column [load], but the model takes 2: [load, temperature]",
                failure(features));
        Exception scoring = assertThrows(Exception.class, () -> run(call(model, "load, temperature",
                ", scoring => 'maybe'"), readings, null));
        assertEquals("RNN_FORECAST: scoring must be 'auto', 'on' or 'off', got 'maybe'", failure(scoring));
        Exception coverage = assertThrows(Exception.class, () -> run(call(model, "load, temperature",
                ", intervals => 'most'"), readings, null));
        assertEquals("RNN_FORECAST: intervals must be a number, got 'most'", failure(coverage));
        Exception text = assertThrows(Exception.class, () -> run(call(model, "load, sensor", ""), readings, null));
        assertEquals("RNN_FORECAST: feature column sensor must be numeric, got String", failure(text));
        Exception ttl = assertThrows(Exception.class, () -> run(call(model, "load, temperature",
                ", state_ttl => 'soon'"), readings, null));
        assertEquals("RNN_FORECAST: state_ttl must be a duration literal such as '7 d', or '0' for no TTL, got 'soon'",
                failure(ttl));
    }

    @Test
    @Timeout(120)
    void optionalArgumentsSwitchIntervalsAndScoringOffAndNameTheVersion() throws Exception {
        Path model = SqlRows.write(SqlRows.model(), dir);
        List<Row> rows = run(call(model, "load, temperature", ", intervals => '0', threshold => '0.5', scoring => 'off', "
                + "model_version => 'v7'"), SqlRows.readings(20), null);
        Row r = rows.get(rows.size() - 1);
        assertEquals(null, r.getField("lower_bound"));
        assertEquals(null, r.getField("anomaly_score"));
        assertEquals(null, r.getField("is_anomaly"));
        assertEquals("v7", r.getField("model_version"));
        assertTrue(r.getField("forecast_value") != null);
    }

    @Test
    @Timeout(120)
    void aDuplicateTimeComesBackWithItsErrorWhenDuplicatesAreRejected() throws Exception {
        Path model = SqlRows.write(SqlRows.model(), dir);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
        String[] names = {"sensor", "load", "temperature", "millis"};
        DataStream<Row> s = env.fromData(Types.ROW_NAMED(names, Types.STRING, Types.DOUBLE, Types.DOUBLE, Types.LONG),
                Row.of("s0", 1.0, 2.0, 0L), Row.of("s0", 1.5, 2.0, SqlRows.HOUR), Row.of("s0", 1.7, 2.0, SqlRows.HOUR),
                Row.of("s0", 1.9, 2.0, 2 * SqlRows.HOUR));
        tEnv.createTemporaryView("readings", tEnv.fromDataStream(s, Schema.newBuilder()
                .columnByExpression("ts", "TO_TIMESTAMP_LTZ(millis, 3)").watermark("ts", "ts - INTERVAL '1' DAY")
                .build()));
        tEnv.createTemporarySystemFunction("RNN_FORECAST", RnnForecast.class);
        List<String> errors = new ArrayList<>();
        try (CloseableIterator<Row> it = tEnv.executeSql(call(model, "load, temperature",
                ", duplicates => 'reject'")).collect()) {
            it.forEachRemaining(r -> errors.add(String.valueOf(r.getField("error")).replaceAll(":.*", "")));
        }
        assertEquals(List.of("null", "null", "DUPLICATE_EVENT_TIME", "null"), errors);
    }

    @Test
    @Timeout(120)
    void aKeyWhoseStateExpiredStartsAgainAsANewKey() throws Exception {
        // s0 steps 30 rows, waits past the call's state_ttl (processing time), then steps its 31st row: that row's
        // forecast is the one a key that never stepped gives for it.
        ForecastModel m = SqlRows.model();
        Path model = SqlRows.write(m, dir);
        List<SqlRows.Reading> readings = new ArrayList<>();
        for (SqlRows.Reading r : SqlRows.readings(31)) {
            if (r.sensor().equals("s0")) {
                readings.add(r);
            }
        }
        SqlRows.Reading last = readings.remove(readings.size() - 1);
        readings.add(new SqlRows.Reading("pause", 1.0, 1.0, last.time() - 1));
        readings.add(last);
        readings.add(new SqlRows.Reading("fresh", last.load(), last.temperature(), last.time()));
        List<Row> expired = run(call(model, "load, temperature", ", state_ttl => '1 s'"), readings, null);
        List<Row> kept = run(call(model, "load, temperature", ""), readings, null);
        Row fresh = expired.get(expired.size() - 1);
        Row afterPause = expired.get(expired.size() - 2);
        assertEquals("fresh", fresh.getField("sensor"));
        assertEquals("s0", afterPause.getField("sensor"));
        assertEquals(fresh.getField("lower_bound"), afterPause.getField("lower_bound"),
                "an expired key forecasts like a new one: no errors behind its interval yet");
        assertEquals(Arrays.deepToString(fresh.getFieldAs("forecast")),
                Arrays.deepToString(afterPause.getFieldAs("forecast")), "every step");
        assertNotEquals(fresh.getField("lower_bound"), kept.get(kept.size() - 2).getField("lower_bound"),
                "without the TTL it keeps its history");
        assertEquals(kept.toString(), run(call(model, "load, temperature", ""), readings, "1 s").toString(),
                "without state_ttl every key is kept, whatever table.exec.state.ttl says, with the same bits");
        assertEquals(kept.toString(), run(call(model, "load, temperature", ", state_ttl => '0'"), readings, "1 s")
                .toString(), "state_ttl '0' is the same: no TTL");
    }

    @Test
    @Timeout(120)
    void flink22DropsARowBehindTheWatermarkBeforeTheFunctionSeesIt() throws Exception {
        Path model = SqlRows.write(SqlRows.model(), dir);
        List<SqlRows.Reading> readings = new ArrayList<>(SqlRows.readings(10));
        long watermark = readings.get(readings.size() - 1).time() - 1;
        readings.add(new SqlRows.Reading("late", 100.0, 10.0, watermark - SqlRows.HOUR));
        readings.add(new SqlRows.Reading("on-time", 100.0, 10.0, watermark + 2));
        List<Row> rows = run(call(model, "load, temperature", ""), readings, null);
        List<Object> keys = rows.stream().map(r -> r.getField("sensor")).distinct().collect(Collectors.toList());
        assertTrue(keys.contains("on-time"), keys.toString());
        assertTrue(!keys.contains("late"), "Flink 2.2 drops it without a trace: " + keys);
    }
}
