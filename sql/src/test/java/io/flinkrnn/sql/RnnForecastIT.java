package io.flinkrnn.sql;

import static org.apache.flink.table.api.Expressions.$;
import static org.apache.flink.table.api.Expressions.descriptor;
import static org.apache.flink.table.api.Expressions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.operators.CollectingMetricReporter;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.ForecastSource;
import io.flinkrnn.stepper.KeyStateStore;
import io.flinkrnn.stepper.KeyStepper;
import io.flinkrnn.stepper.StepBatch;
import io.flinkrnn.stepper.StepperSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code RNN_FORECAST} in a real Flink SQL query on a MiniCluster: every value it returns is the stepper's, bit
 * for bit (the operator and {@code predict} are pinned to the same stepper by their own tests), and every row the
 * job would send to dead letters comes back with an {@code error} instead of failing the query.
 */
class RnnForecastIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(CollectingMetricReporter.configuration()).setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2).build());

    @TempDir
    Path dir;

    static List<Row> run(String sql, List<SqlRows.Reading> readings) throws Exception {
        return run(sql, readings, false);
    }

    /** The query's rows, with {@code pipeline.object-reuse} as given (the README recommends it with the function). */
    static List<Row> run(String sql, List<SqlRows.Reading> readings, boolean objectReuse) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        if (objectReuse) {
            env.getConfig().enableObjectReuse();
        }
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
        tEnv.createTemporaryView("readings", SqlRows.table(env, tEnv, readings));
        tEnv.createTemporarySystemFunction("RNN_FORECAST", RnnForecast.class);
        List<Row> out = new ArrayList<>();
        try (CloseableIterator<Row> it = tEnv.executeSql(sql).collect()) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    /**
     * With the guard's linear model, each key's history lives in a map-view state of its own, read only when a refit
     * or a move into it comes: on RocksDB, where every access goes through the serializers, 700 rows of each key (past
     * its first fit at row 296 and five moves of 128 values) are still the stepper's bits.
     */
    @Test
    @Timeout(180)
    void theLinearModelsHistoryInAStateOfItsOwnGivesTheSteppersBitsOnRocksDb() throws Exception {
        ForecastModel m = SqlRows.linearModel();
        Path model = SqlRows.write(m, dir);
        List<SqlRows.Reading> readings = SqlRows.readings(700);
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.setString("state.backend.rocksdb.localdir", dir.resolve("rocksdb").toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
        tEnv.createTemporaryView("readings", SqlRows.table(env, tEnv, readings));
        tEnv.createTemporarySystemFunction("RNN_FORECAST", RnnForecast.class);
        Map<String, List<Row>> byKey = new HashMap<>();
        try (CloseableIterator<Row> it = tEnv.executeSql("SELECT * FROM RNN_FORECAST(input => TABLE readings PARTITION"
                + " BY sensor, model => '" + model.toUri() + "', features => DESCRIPTOR(load, temperature), on_time =>"
                + " DESCRIPTOR(ts), uid => 'linear')").collect()) {
            it.forEachRemaining(r -> byKey.computeIfAbsent(r.<String>getFieldAs("sensor"), k -> new ArrayList<>())
                    .add(r));
        }
        int compared = 0;
        long[] sources = new long[ForecastSource.values().length];
        try (KeyStepper s = new KeyStepper(m, StepperSettings.defaults(), new CpuStepBackend(m.network(), 1, "ref"),
                1)) {
            KeyStateStore store = KeyStateStore.inMemory();
            Map<String, Integer> seen = new HashMap<>();
            for (SqlRows.Reading r : readings) {
                Row got = byKey.get(r.sensor()).get(seen.merge(r.sensor(), 1, Integer::sum) - 1);
                if (got.getField("error") != null) {
                    continue;
                }
                StepBatch b = s.batch();
                b.clear();
                b.add(r.sensor(), r.time(), new float[] {r.load().floatValue(), r.temperature().floatValue()}, 0);
                s.step(b, store);
                for (ForecastSource source : ForecastSource.values()) {
                    sources[source.ordinal()] += b.sourceCount(source);
                }
                Row[] all = got.getFieldAs("forecast");
                for (int i = 0; i < all.length; i++) {
                    assertEquals(bits(b.forecast(0, i)), bits(all[i].getFieldAs(2)), r.sensor() + " at " + r.time()
                            + " step " + (i + 1));
                }
                compared++;
            }
        }
        assertEquals(readings.size() - 3, compared);
        assertTrue(Files.isDirectory(dir.resolve("rocksdb")), "RocksDB held the state (its local directory exists)");
        assertTrue(sources[ForecastSource.LINEAR.ordinal()] + sources[ForecastSource.LINEAR_MIX.ordinal()] > 0,
                "past its first fit the linear model forecasts some rows");
        for (ForecastSource source : ForecastSource.values()) {
            assertEquals(sources[source.ordinal()], functionCounter("forecastSources." + source.metricName()),
                    "the function counts each forecast under the candidate that made it, as the stepper did");
        }
    }

    @ParameterizedTest(name = "object reuse {0}")
    @ValueSource(booleans = {false, true})
    @Timeout(180)
    void everyRowIsTheSteppersBitsAndBadRowsComeBackWithAnError(boolean objectReuse) throws Exception {
        ForecastModel m = SqlRows.model();
        Path model = SqlRows.write(m, dir);
        List<SqlRows.Reading> readings = SqlRows.readings(120);
        List<Row> rows = run("SELECT * FROM RNN_FORECAST(input => TABLE readings PARTITION BY sensor, model => '"
                + model.toUri() + "', features => DESCRIPTOR(load, temperature), on_time => DESCRIPTOR(ts), "
                + "uid => 'load-forecast')", readings, objectReuse);
        assertEquals(readings.size(), rows.size(), "one row out per row in");
        assertEquals(List.of("sensor", "forecast_value", "lower_bound", "upper_bound", "forecast", "actual_value",
                "anomaly_score", "is_anomaly", "model_version", "error", "is_anomalous", "anomaly_cause", "rowtime"),
                List.copyOf(rows.get(0).getFieldNames(true)));
        Map<String, List<Row>> byKey = new HashMap<>();
        for (Row r : rows) {
            byKey.computeIfAbsent(r.<String>getFieldAs("sensor"), k -> new ArrayList<>()).add(r);
        }
        StepperSettings settings = StepperSettings.defaults().withAnomalyScoring(true).withIntervals(0.9);
        int errors = 0;
        try (KeyStepper s = new KeyStepper(m, settings, new CpuStepBackend(m.network(), 1, "ref"), 1)) {
            KeyStateStore store = KeyStateStore.inMemory();
            Map<String, Integer> seen = new HashMap<>();
            for (SqlRows.Reading r : readings) {
                int n = seen.merge(r.sensor(), 1, Integer::sum) - 1;
                Row got = byKey.get(r.sensor()).get(n);
                String where = r.sensor() + " row " + n;
                assertEquals(Instant.ofEpochMilli(r.time()), got.getFieldAs("rowtime"), where + ": rows keep their order");
                boolean bad = r.load() == null || r.temperature() == null || !Double.isFinite(r.load());
                StepBatch b = s.batch();
                if (!bad) {
                    b.clear();
                    b.add(r.sensor(), r.time(), new float[] {r.load().floatValue(), r.temperature().floatValue()}, 0);
                    s.step(b, store);
                }
                if (bad || b.rejected(0)) {
                    errors++;
                    String error = got.getFieldAs("error");
                    assertTrue(error != null && error.startsWith(bad ? "NON_FINITE_VALUE: " : "TIME_WENT_BACKWARDS: "),
                            where + ": " + error);
                    assertNull(got.getField("forecast_value"), where);
                    continue;
                }
                assertNull(got.getField("error"), where);
                assertEquals(bits(b.forecast(0, 0)), bits(got.getFieldAs("forecast_value")), where);
                assertEquals(bits(b.lower(0, 0)), bits(got.getFieldAs("lower_bound")), where);
                assertEquals(bits(b.upper(0, 0)), bits(got.getFieldAs("upper_bound")), where);
                assertEquals(bits(b.score(0)), bits(got.getFieldAs("anomaly_score")), where);
                assertEquals(b.flagged(0), got.getFieldAs("is_anomaly"), where);
                assertEquals(b.anomalous(0), got.getFieldAs("is_anomalous"), where);
                assertEquals(b.anomalous(0) ? m.targets().get(b.cause(0)) : null, got.getFieldAs("anomaly_cause"), where);
                assertEquals(r.load().floatValue(), (float) got.getFieldAs("actual_value"), 0f, where);
                Row[] all = got.getFieldAs("forecast");
                assertEquals(m.outputs(), all.length);
                for (int i = 0; i < all.length; i++) {
                    assertEquals(i + 1, (int) all[i].getFieldAs(0), where + " step");
                    assertEquals("load", all[i].getField(1));
                    assertEquals(bits(b.forecast(0, i)), bits(all[i].getFieldAs(2)), where + " step " + (i + 1));
                    assertEquals(bits(b.lower(0, i)), bits(all[i].getFieldAs(3)), where + " step " + (i + 1));
                    assertEquals(bits(b.upper(0, i)), bits(all[i].getFieldAs(4)), where + " step " + (i + 1));
                }
            }
        }
        assertEquals(3, errors, "a NaN, a null and a row behind its key's last one");
    }

    @Test
    @Timeout(180)
    void theTableApiCallGivesTheSameRowsAsTheSqlCall() throws Exception {
        Path model = SqlRows.write(SqlRows.model(), dir);
        List<SqlRows.Reading> readings = SqlRows.readings(40);
        List<Row> sql = run("SELECT * FROM RNN_FORECAST(input => TABLE readings PARTITION BY sensor, model => '"
                + model.toUri() + "', features => DESCRIPTOR(load, temperature), on_time => DESCRIPTOR(ts))",
                readings);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
        Table table = SqlRows.table(env, tEnv, readings).partitionBy($("sensor")).process(RnnForecast.class,
                lit(model.toUri().toString()).asArgument("model"),
                descriptor("load", "temperature").asArgument("features"), descriptor("ts").asArgument("on_time"));
        List<Row> api = new ArrayList<>();
        try (CloseableIterator<Row> it = table.execute().collect()) {
            it.forEachRemaining(api::add);
        }
        assertEquals(sorted(sql), sorted(api));
    }

    private static List<String> sorted(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(r.toString());
        }
        java.util.Collections.sort(out);
        return out;
    }

    private static int bits(Float f) {
        return Float.floatToIntBits(f);
    }

    /**
     * The function's counter {@code name}, summed over its subtasks, in the job of the query with uid 'linear' (the
     * metric's scope carries the query's text).
     */
    private static long functionCounter(String name) {
        Map<String, Metric> m = CollectingMetricReporter.metrics();
        List<String> ids = m.keySet().stream()
                .filter(k -> k.endsWith("." + name) && k.contains("`uid` => 'linear'")).toList();
        assertTrue(!ids.isEmpty(), name + " among " + m.keySet().stream().filter(k -> k.contains("forecastSources"))
                .toList());
        return ids.stream().mapToLong(k -> ((Counter) m.get(k)).getCount()).sum();
    }
}
