package io.flinkrnn.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.operators.CollectingMetricReporter;
import io.flinkrnn.operators.StateBackends;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.catalog.DataTypeFactory;
import org.apache.flink.table.types.inference.StateTypeStrategy;
import org.apache.flink.table.types.inference.TypeInference;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A query stopped with a savepoint and restored with another TTL setting goes on from every key's state: the rows of
 * the two runs together are the rows of one uninterrupted run, bit for bit. Flink 2.2 migrates keyed state between
 * its TTL and plain layouts on restore, on the heap and on RocksDB; this pins that for the function's state, so a
 * TTL can be added or dropped on a running query, and a savepoint of a query planned while the function left its TTL
 * to Flink (Flink's own default, a TTL of {@code Long.MAX_VALUE}) restores into the call without one.
 */
class RnnForecastSavepointIT {
    private static final int STEPS = 120;
    private static final String FLINK_DEFAULT = "flink-default";
    private static final List<String> SEEN = Collections.synchronizedList(new ArrayList<>());
    private static final AtomicInteger RUNS = new AtomicInteger();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(CollectingMetricReporter.configuration()).setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(1).build());

    @TempDir
    Path dir;

    /** The function as it was planned before it declared its TTL: every state's TTL left to Flink. */
    public static final class FlinkDefaultTtl extends RnnForecast {
        private static final long serialVersionUID = 1L;

        @Override
        public TypeInference getTypeInference(DataTypeFactory typeFactory) {
            return StateTtlArgument.withStates(super.getTypeInference(typeFactory), (name, s) -> StateTypeStrategy.of(
                    s::inferType));
        }
    }

    @ParameterizedTest(name = "{0}: {1} -> {2}")
    @CsvSource({"hashmap, flink-default, ''", "hashmap, '', '365 d'", "rocksdb, flink-default, ''",
            "rocksdb, '', '365 d'"})
    @Timeout(180)
    void aSavepointRestoresIntoACallWithAnotherTtl(String backend, String first, String restored) throws Exception {
        Path model = SqlRows.write(SqlRows.model(), dir);
        List<Row> readings = new ArrayList<>();
        for (SqlRows.Reading r : SqlRows.readings(STEPS)) {
            readings.add(r.row());
        }
        List<String> whole = run(backend, model, readings, first, null, Integer.MAX_VALUE);
        assertEquals(readings.size(), whole.size(), "one row out per row in");
        Path savepoints = dir.resolve("savepoints");
        String[] savepoint = new String[1];
        List<String> before = run(backend, model, readings, first, savepoints.toUri().toString(),
                readings.size() / 3, savepoint);
        assertTrue(before.size() >= readings.size() / 3 && before.size() < readings.size(),
                "stopped within the stream: " + before.size());
        assertEquals(!first.isEmpty(), new String(Files.readAllBytes(Path.of(URI.create(savepoint[0]))
                .resolve("_metadata")), StandardCharsets.ISO_8859_1).contains("TtlSerializerSnapshot"),
                "the savepoint's layout is the first call's: with a TTL or without");
        List<String> after = run(backend, model, readings, restored, savepoint[0], Integer.MAX_VALUE);
        List<String> both = new ArrayList<>(before);
        both.addAll(after);
        assertEquals(whole, both, "stopped at row " + before.size() + " with " + first + ", restored with '"
                + restored + "'");
    }

    private List<String> run(String backend, Path model, List<Row> readings, String ttl, String savepoint, int stopAt)
            throws Exception {
        return run(backend, model, readings, ttl, savepoint, stopAt, new String[1]);
    }

    /**
     * Runs the query over {@code readings} and returns its rows as text. With {@code stopAt} below the rows, the
     * source is throttled and the query stops with a savepoint into the folder {@code savepoint} once that many rows
     * came out (its path into {@code taken}); otherwise {@code savepoint}, when given, is the one it restores.
     */
    private List<String> run(String backend, Path model, List<Row> readings, String ttl, String savepoint, int stopAt,
            String[] taken) throws Exception {
        boolean stops = stopAt < readings.size();
        Configuration conf = StateBackends.of(backend, dir);
        if (savepoint != null && !stops) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        TypeInformation<Row> type = Types.ROW_NAMED(new String[] {"sensor", "load", "temperature", "millis"},
                Types.STRING, Types.DOUBLE, Types.DOUBLE, Types.LONG);
        List<Row> rows = List.copyOf(readings);
        DataStream<Row> in = env.fromSource(new DataGeneratorSource<>(i -> rows.get((int) (long) i), rows.size(),
                stops ? RateLimiterStrategy.perSecond(50) : RateLimiterStrategy.noOp(), type),
                WatermarkStrategy.<Row>forBoundedOutOfOrderness(Duration.ofHours(2))
                        .withTimestampAssigner((r, ts) -> r.<Long>getFieldAs(3)), "readings");
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
        tEnv.createTemporaryView("readings", tEnv.fromDataStream(in, Schema.newBuilder()
                .columnByMetadata("ts", DataTypes.TIMESTAMP_LTZ(3), "rowtime").watermark("ts", "SOURCE_WATERMARK()")
                .build()));
        tEnv.createTemporarySystemFunction("RNN_FORECAST", ttl.equals(FLINK_DEFAULT) ? FlinkDefaultTtl.class
                : RnnForecast.class);
        String more = ttl.isEmpty() || ttl.equals(FLINK_DEFAULT) ? "" : ", state_ttl => '" + ttl + "'";
        tEnv.toDataStream(tEnv.sqlQuery("SELECT * FROM RNN_FORECAST(input => TABLE readings PARTITION BY sensor,"
                + " model => '" + model.toUri() + "', features => DESCRIPTOR(load, temperature), on_time =>"
                + " DESCRIPTOR(ts), uid => 'load'" + more + ")")).sinkTo(new Collect()).name("collect");
        SEEN.clear();
        String name = "savepoint-" + backend + "-" + RUNS.incrementAndGet();
        JobClient job = env.executeAsync(name);
        try {
            if (stops) {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
                while (SEEN.size() < stopAt && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertTrue(SEEN.size() >= stopAt, "only " + SEEN.size() + " rows came out in a minute");
                taken[0] = job.stopWithSavepoint(false, savepoint, SavepointFormatType.CANONICAL)
                        .get(1, TimeUnit.MINUTES);
            } else {
                job.getJobExecutionResult().get(2, TimeUnit.MINUTES);
            }
        } finally {
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get(1, TimeUnit.MINUTES);
            }
        }
        StateBackends.assertBackend(backend, CollectingMetricReporter.metrics(), name);
        synchronized (SEEN) {
            return new ArrayList<>(SEEN);
        }
    }

    /** Keeps every row as text (floats written shortest-unique, so equal text is equal bits). */
    private static final class Collect implements Sink<Row> {
        @Override
        public SinkWriter<Row> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(Row row, Context c) {
                    SEEN.add(row.toString());
                }

                @Override
                public void flush(boolean endOfInput) {
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
