package io.flinkrnn.bench;

import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.operators.ForecastStreams;
import io.flinkrnn.operators.ObservationKey;
import io.flinkrnn.operators.RnnForecaster;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.ForecastRules;
import io.flinkrnn.stepper.GuardRules;
import io.flinkrnn.stepper.KeyStepper;
import io.flinkrnn.stepper.StepperSettings;
import io.flinkrnn.stepper.TimeOrderPolicy;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The streaming operator on a local MiniCluster, generated observations in, a discarding sink out, and the
 * same pipeline with the two baselines in place of the operator. Prints one line per run:
 * {@code events_per_s=N mode=rnn|noop|window keys=... events=... parallelism=... batch=... latency_ms=...
 * ... steady_events_per_s=N steady_cpu_us_per_event=C}: the whole job's rate, the rate over the last three
 * quarters of the output (steady state, see {@link SteadyStateSink}) and the JVM's CPU time per event over
 * the same span; then {@code state=hashmap|rocksdb}, the keyed-state backend of every mode ({@code
 * --state-backend}, default hashmap). {@code --rules plain|train|train-no-linear} puts per-key rules around the network.
 *
 * <pre>
 *   java -cp ... io.flinkrnn.bench.OperatorBench --mode rnn --keys 10000 --events 2000000 --parallelism 2
 *   java -cp ... io.flinkrnn.bench.OperatorBench --mode rnn,noop --rounds 8 ...   (alternating, one JVM)
 * </pre>
 */
@Command(name = "OperatorBench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The streaming operator and its baselines on a local MiniCluster; one events_per_s=... line"
                + " per run.")
public final class OperatorBench implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--mode", paramLabel = "rnn|noop|window", split = ",",
            description = "modes, comma-separated, run in turn each round (default: ${DEFAULT-VALUE})")
    List<String> modes = List.of("rnn");

    @Option(names = "--rounds", paramLabel = "N",
            description = "rounds of all the modes in this JVM; throughput runs only (default: ${DEFAULT-VALUE})")
    int rounds = 1;

    @Option(names = "--rate", paramLabel = "EVENTS_PER_S",
            description = "throttle the source to this rate and measure latency; 0: unthrottled"
                    + " (default: ${DEFAULT-VALUE})")
    double rate = 0;

    @Option(names = "--keys", paramLabel = "N", description = "distinct keys (default: ${DEFAULT-VALUE})")
    int keys = 10000;

    @Option(names = "--events", paramLabel = "N", description = "events per run (default: ${DEFAULT-VALUE})")
    long events = 2000000;

    @Option(names = "--parallelism", paramLabel = "N",
            description = "the job's parallelism (default: ${DEFAULT-VALUE})")
    int parallelism = 2;

    @Option(names = "--batch", paramLabel = "N", description = "the operator's batch size (default: ${DEFAULT-VALUE})")
    int batch = 512;

    @Option(names = "--latency-ms", paramLabel = "MS",
            description = "the operator's max batch latency (default: ${DEFAULT-VALUE})")
    long latencyMs = 50;

    @Option(names = "--hidden", paramLabel = "H", description = "the LSTM's hidden units (default: ${DEFAULT-VALUE})")
    int hidden = 64;

    @Option(names = "--window", paramLabel = "N",
            description = "the window re-run's window length (default: ${DEFAULT-VALUE})")
    int window = 64;

    @Option(names = "--rules", paramLabel = "plain|train|train-no-linear",
            description = "per-key rules around the network (default: ${DEFAULT-VALUE})")
    String rulesName = "plain";

    @Option(names = "--state-backend", paramLabel = "hashmap|rocksdb",
            description = "the keyed-state backend of every mode (default: ${DEFAULT-VALUE})")
    String stateBackend = "hashmap";

    private OperatorBench() {
    }

    public static void main(String[] args) {
        BenchCli.exit(new OperatorBench(), args);
    }

    @Override
    public Integer call() throws Exception {
        if (rounds > 1 && rate > 0) {
            throw new ParameterException(spec.commandLine(),
                    "--rounds applies to throughput runs only, not with --rate");
        }
        BenchCli.requireOneOf(spec, "--state-backend", stateBackend, "hashmap", "rocksdb");
        BenchCli.requireOneOf(spec, "--rules", rulesName, "plain", "train", "train-no-linear");
        modes = modes.stream().map(String::trim).toList(); // "rnn, noop" as well as "rnn,noop"
        for (String mode : modes) {
            BenchCli.requireOneOf(spec, "--mode", mode, "rnn", "noop", "window");
        }
        // Several modes and rounds run alternately in this one JVM: pairs measured seconds apart drift less
        // with the machine's speed than runs in separate JVMs minutes apart.
        for (int round = 1; round <= rounds; round++) {
            for (String mode : modes) {
                runOnce(mode, round);
            }
        }
        return 0;
    }

    private void runOnce(String mode, int round) throws Exception {
        SteadyStateSink.reset();
        DeadLetterCounter.COUNT.set(0);
        // Effectively final copies for the generator's lambdas.
        int keys = this.keys;
        long events = this.events;
        RnnModel model = BenchModels.lstm(1, hidden, 1, 7);
        ForecastModel rules = rules(rulesName, model);

        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(org.apache.flink.configuration.StateBackendOptions.STATE_BACKEND, stateBackend);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        // With --rate the source is throttled and stamps each event with the wall clock, for latency.
        boolean latencyMode = rate > 0;
        GeneratorFunction<Long, Observation> gen = latencyMode ? i -> BenchModels.stamped(i, keys)
                : i -> BenchModels.observation(i, keys);
        RateLimiterStrategy<?> limiter = latencyMode ? RateLimiterStrategy.perSecond(rate) : RateLimiterStrategy.noOp();
        DataStream<Observation> in = env.fromSource(new DataGeneratorSource<>(gen, events, limiter,
                new AvroTypeInfo<>(Observation.class)), WatermarkStrategy.noWatermarks(), "generated observations");
        DataStream<Forecast> out;
        switch (mode) {
            case "rnn": {
                // The generator's parallel readers split the index range, so a key's events arrive from two
                // subtasks out of order: ACCEPT steps them all (as the baselines do) instead of rejecting
                // the late ones to dead letters, which would make the operator do different work.
                ForecastStreams s = RnnForecaster.builder().model(rules, "bench", "1").batchSize(batch)
                        .maxLatency(Duration.ofMillis(latencyMs)).timeOrder(TimeOrderPolicy.ACCEPT)
                        .backend(BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1)).build().apply(in);
                s.deadLetters().sinkTo(new DeadLetterCounter());
                out = s.forecasts();
                break;
            }
            case "noop":
                out = in.keyBy(new ObservationKey()).process(new NoopStateFunction(stateFloats(rules)),
                        new AvroTypeInfo<>(Forecast.class));
                break;
            case "window":
                out = in.keyBy(new ObservationKey()).process(new WindowRerunFunction(model, window),
                        new AvroTypeInfo<>(Forecast.class));
                break;
            default:
                throw new IllegalArgumentException("--mode must be rnn, noop or window, got " + mode);
        }
        if (latencyMode) {
            out.sinkTo(new LatencySink());
        } else {
            out.sinkTo(new SteadyStateSink(events));
        }
        System.err.printf(Locale.ROOT, "operator-bench: %s, %d keys, %d events, parallelism %d...%n", mode, keys,
                events, parallelism);
        JobExecutionResult r = env.execute("operator bench " + mode);
        double seconds = r.getNetRuntime(TimeUnit.MILLISECONDS) / 1000.0;
        if (DeadLetterCounter.COUNT.get() != 0) {
            throw new IllegalStateException(DeadLetterCounter.COUNT.get() + " records went to dead letters: the"
                    + " benchmark would not measure what it claims");
        }
        System.out.printf(Locale.ROOT, "events_per_s=%.0f mode=%s keys=%d events=%d parallelism=%d batch=%d"
                + " latency_ms=%d hidden=%d window=%d net_runtime_s=%.2f steady_events_per_s=%.0f"
                + " steady_cpu_us_per_event=%.3f round=%d state=%s rules=%s%n", events / seconds,
                mode, keys, events, parallelism, batch, latencyMs, hidden, window, seconds,
                latencyMode ? Double.NaN : SteadyStateSink.steadyRate(events),
                latencyMode ? Double.NaN : SteadyStateSink.steadyCpuMicrosPerEvent(events), round, stateBackend,
                rulesName);
        if (latencyMode) {
            System.out.printf(Locale.ROOT, "latency_p50_ms=%d latency_p99_ms=%d offered_per_s=%.0f mode=%s batch=%d"
                    + " latency_ms=%d%n", LatencySink.percentile(50), LatencySink.percentile(99), rate, mode, batch,
                    latencyMs);
        }
    }

    /**
     * The model with {@code --rules}: plain (the bare network), train (train's per-key rules for one step: per-key
     * scaling, relative forecasts, the guard with its recent window, evidence test and linear model) or
     * train-no-linear (the same without the guard's linear model).
     */
    static ForecastModel rules(String name, RnnModel network) {
        return rules(name, network, "y");
    }

    /** The same with the one feature (and target) named {@code feature}. */
    static ForecastModel rules(String name, RnnModel network, String feature) {
        return rules(name, network, feature, 1);
    }

    /** The same for a network of {@code steps} outputs, one per step ahead. */
    static ForecastModel rules(String name, RnnModel network, String feature, int steps) {
        ForecastModel.Builder b = ForecastModel.builder(network).features(List.of(feature)).targets(List.of(feature));
        switch (name) {
            case "plain":
                return b.build();
            case "train":
                return b.rules(ForecastRules.defaults(steps)).build();
            case "train-no-linear":
                return b.rules(ForecastRules.defaults(steps).withGuard(GuardRules.defaults(steps).withLinear(0)))
                        .build();
            default:
                throw new IllegalArgumentException("--rules must be plain, train or train-no-linear, got " + name);
        }
    }

    /** The floats of a key's state under {@code model}: recurrent state and per-key parts (the no-op's value). */
    static int stateFloats(ForecastModel model) {
        try (KeyStepper s = new KeyStepper(model, StepperSettings.defaults(), new CpuStepBackend(model.network(), 1,
                "bench"), 1)) {
            return model.network().stateSize() + s.stateParts().size();
        }
    }
}
