package io.flinkrnn.bench;

import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.operators.ForecastStreams;
import io.flinkrnn.operators.RnnForecaster;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import io.flinkrnn.sql.RnnForecast;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.TimeOrderPolicy;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code RNN_FORECAST} beside the DataStream operator on a local MiniCluster: the same model (LSTM, one feature,
 * one target), keys, rows and settings (intervals at 90 %, anomaly scoring on, time going backwards accepted:
 * the generator's readers interleave a key's rows), generated in, discarded out. The SQL path steps one row per
 * call and converts the key's state to and from its RAW field on every row; the operator batches keys per
 * kernel call and reads each key's state once per bundle. Modes sql and datastream keep every key for good (each
 * path's default); sql-ttl and datastream-ttl expire keys idle for 7 days ({@code state_ttl => '7 d'}, the builder's
 * {@code stateTtl}), so Flink keeps TTL bookkeeping on every state access. Every mode runs with object reuse unless
 * told otherwise, and all are timed by the job's net runtime (planning and submission left out). Prints one line
 * per run: {@code events_per_s=N mode=sql|sql-ttl|datastream|datastream-ttl keys=... events=... hidden=...
 * state=hashmap|rocksdb round=N object_reuse=B}.
 *
 * <pre>
 *   java -cp ... io.flinkrnn.bench.SqlBench --mode sql,datastream --rounds 3 --keys 10000 --events 1000000
 * </pre>
 */
@Command(name = "SqlBench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "RNN_FORECAST (SQL) beside the DataStream operator on a local MiniCluster; one events_per_s=..."
                + " line per run.")
public final class SqlBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--mode", paramLabel = "sql|sql-ttl|datastream|datastream-ttl", split = ",",
            description = "modes, comma-separated, run in turn each round (default: ${DEFAULT-VALUE})")
    List<String> modes = List.of("sql", "datastream");

    @Option(names = "--rounds", paramLabel = "N", description = "rounds of all the modes in this JVM"
            + " (default: ${DEFAULT-VALUE})")
    int rounds = 1;

    @Option(names = "--keys", paramLabel = "N", description = "distinct keys (default: ${DEFAULT-VALUE})")
    int keys = 10000;

    @Option(names = "--events", paramLabel = "N", description = "rows per run (default: ${DEFAULT-VALUE})")
    long events = 1000000;

    @Option(names = "--hidden", paramLabel = "H", description = "the LSTM's hidden units (default: ${DEFAULT-VALUE})")
    int hidden = 64;

    @Option(names = "--state-backend", paramLabel = "hashmap|rocksdb",
            description = "the keyed-state backend of both modes (default: ${DEFAULT-VALUE})")
    String state = "hashmap";

    @Option(names = "--rules", paramLabel = "plain|train|train-no-linear",
            description = "per-key rules around the network, as OperatorBench's (default: ${DEFAULT-VALUE})")
    String rulesName = "plain";

    @Option(names = "--object-reuse", arity = "1", paramLabel = "true|false",
            description = "pipeline.object-reuse in both modes, as the job jar sets it and the README recommends with"
                    + " the SQL function: no copy of each row between chained operators (default: ${DEFAULT-VALUE})")
    boolean objectReuse = true;

    private SqlBench() {
    }

    public static void main(String[] args) {
        BenchCli.exit(new SqlBench(), args);
    }

    @Override
    public Integer call() throws Exception {
        BenchCli.requireOneOf(spec, "--state-backend", state, "hashmap", "rocksdb");
        for (String mode : modes) {
            BenchCli.requireOneOf(spec, "--mode", mode, "sql", "sql-ttl", "datastream", "datastream-ttl");
        }
        BenchCli.requireOneOf(spec, "--rules", rulesName, "plain", "train", "train-no-linear");
        ForecastModel model = OperatorBench.rules(rulesName, BenchModels.lstm(1, hidden, 1, 7), "value");
        Path file = Files.createTempFile("sql-bench", ".avro");
        try (OutputStream out = Files.newOutputStream(file)) {
            ModelArtifacts.write(model, Map.of("source", "sql bench"), out);
        }
        for (int round = 1; round <= rounds; round++) {
            for (String mode : modes) {
                boolean ttl = mode.endsWith("-ttl");
                double seconds = mode.startsWith("datastream") ? datastream(model, keys, events, state, ttl)
                        : sql(file, keys, events, state, ttl ? ", state_ttl => '7 d'" : "");
                System.out.printf(Locale.ROOT, "events_per_s=%.0f mode=%s keys=%d events=%d hidden=%d parallelism=2"
                        + " state=%s round=%d object_reuse=%s rules=%s%n", events / seconds, mode, keys, events, hidden,
                        state, round, objectReuse, rulesName);
            }
        }
        Files.deleteIfExists(file);
        return 0;
    }

    private StreamExecutionEnvironment env(String state) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.OBJECT_REUSE, objectReuse);
        conf.set(org.apache.flink.configuration.StateBackendOptions.STATE_BACKEND, state);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    private double datastream(ForecastModel model, int keys, long events, String state, boolean ttl)
            throws Exception {
        StreamExecutionEnvironment env = env(state);
        DataStream<Observation> in = env.fromSource(new DataGeneratorSource<>(i -> BenchModels.observation(i, keys),
                events, RateLimiterStrategy.noOp(), new AvroTypeInfo<>(Observation.class)),
                WatermarkStrategy.noWatermarks(), "generated observations");
        ForecastStreams s = RnnForecaster.builder().model(model, "bench", "1").batchSize(512)
                .maxLatency(Duration.ofMillis(50)).timeOrder(TimeOrderPolicy.ACCEPT).anomalyScoring(true)
                .stateTtl(ttl ? Duration.ofDays(7) : null)
                .intervals(0.9).backend(BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1))
                .build().apply(in);
        s.forecasts().sinkTo(new DiscardingSink<Forecast>());
        JobExecutionResult r = env.execute("sql bench datastream");
        return r.getNetRuntime(TimeUnit.MILLISECONDS) / 1000.0;
    }

    /** The SQL call over generated rows; {@code more} adds arguments (sql-ttl: {@code state_ttl => '7 d'}). */
    private double sql(Path model, int keys, long events, String state, String more) throws Exception {
        StreamExecutionEnvironment env = env(state);
        TypeInformation<Row> type = Types.ROW_NAMED(new String[] {"sensor", "value", "millis"}, Types.STRING,
                Types.FLOAT, Types.LONG);
        DataStream<Row> in = env.fromSource(new DataGeneratorSource<>(i -> {
            Observation o = BenchModels.observation(i, keys);
            return Row.of(o.getKey(), o.getValues().get(0), o.getEventTime().toEpochMilli());
        }, events, RateLimiterStrategy.noOp(), type), WatermarkStrategy.<Row>noWatermarks()
                .withTimestampAssigner((r, ts) -> r.<Long>getFieldAs(2)), "generated readings");
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
        tEnv.createTemporaryView("readings", tEnv.fromDataStream(in, Schema.newBuilder()
                .columnByMetadata("ts", DataTypes.TIMESTAMP_LTZ(3), "rowtime").watermark("ts", "SOURCE_WATERMARK()")
                .build()));
        tEnv.createTemporarySystemFunction("RNN_FORECAST", RnnForecast.class);
        tEnv.executeSql("CREATE TABLE discard (sensor STRING, forecast_value FLOAT) WITH ('connector' = 'blackhole')");
        TableResult r = tEnv.executeSql("INSERT INTO discard SELECT sensor, forecast_value FROM RNN_FORECAST(input =>"
                + " TABLE readings PARTITION BY sensor, model => '" + model.toUri() + "', features =>"
                + " DESCRIPTOR(`value`), on_time => DESCRIPTOR(ts), time_order => 'accept'" + more + ")");
        // The job's net runtime, as the DataStream mode's: planning, code generation and submission left out of both.
        return r.getJobClient().orElseThrow().getJobExecutionResult().get().getNetRuntime(TimeUnit.MILLISECONDS)
                / 1000.0;
    }
}
