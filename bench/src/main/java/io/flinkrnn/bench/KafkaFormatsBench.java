package io.flinkrnn.bench;

import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.operators.RnnForecaster;
import io.flinkrnn.operators.kafka.AvroCodec;
import io.flinkrnn.operators.kafka.FlinkRnnKafka;
import io.flinkrnn.operators.kafka.KafkaForecastPipeline;
import io.flinkrnn.operators.kafka.ObservationFormat;
import io.flinkrnn.operators.kafka.OutputFormat;
import io.flinkrnn.operators.kafka.SourceRecord;
import io.flinkrnn.operators.kafka.registry.RegistrySettings;
import io.flinkrnn.operators.kafka.registry.WireFormat;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import io.flinkrnn.testkit.EmbeddedKafka;
import io.flinkrnn.testkit.LoopbackSchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Kafka → job → Kafka, exactly-once, in three modes alternated in one JVM (one in-JVM broker, one loopback
 * registry, a MiniCluster at parallelism 2, all on the same cores): {@code avro} (the job on plain Avro
 * Observations), {@code registry} (the same records framed for the schema registry, in and out) and {@code
 * passthrough} (a keyed job that reads, keys and writes the same plain records with no model: the pipeline's
 * own limit). Each round reads the whole pre-produced topic with a bounded job, the modes' order turning from
 * round to round; events/s = events / the job's net runtime. One line per run, {@code e2e_events_per_s=N mode=M round=R
 * ...}, and one with its CPU per event by kind of thread ({@code e2e_cpu}, {@link ThreadCpu}); then the medians of
 * rounds 2 and on and their ratios.
 */
@Command(name = "KafkaFormatsBench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Kafka -> job -> Kafka, exactly-once, the modes alternated in one JVM; one e2e_events_per_s=..."
                + " line per run, then e2e_median ...")
public final class KafkaFormatsBench implements Callable<Integer> {
    static final List<String> MODES = List.of("avro", "registry", "passthrough");

    @Spec
    CommandSpec spec;

    @Option(names = "--events", paramLabel = "N",
            description = "records in each input topic (default: ${DEFAULT-VALUE})")
    long events = 1000000;

    @Option(names = "--rounds", paramLabel = "N",
            description = "rounds of all the modes; the medians are of rounds 2 and on (default: ${DEFAULT-VALUE})")
    int rounds = 4;

    @Option(names = "--keys", paramLabel = "N", description = "distinct keys (default: ${DEFAULT-VALUE})")
    int keys = 10000;

    @Option(names = "--modes", paramLabel = "MODE", split = ",",
            description = "avro, registry, passthrough or passthrough-forecast (a diagnostic), comma-separated"
                    + " (default: ${DEFAULT-VALUE})")
    List<String> modes = MODES;

    private KafkaFormatsBench() {
    }

    public static void main(String[] args) {
        BenchCli.exit(new KafkaFormatsBench(), args);
    }

    @Override
    public Integer call() throws Exception {
        for (String mode : modes) {
            BenchCli.requireOneOf(spec, "--modes", mode, "avro", "registry", "passthrough", "passthrough-forecast");
        }
        Path dir = Files.createTempDirectory("flink-rnn-formats-bench");
        Map<String, List<Double>> rates = new HashMap<>();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"));
                LoopbackSchemaRegistry registry = LoopbackSchemaRegistry.start()) {
            int id = registry.register("registry-in-value", Observation.getClassSchema().toString());
            kafka.createTopic("avro-in", 2);
            kafka.createTopic("registry-in", 2);
            produce(kafka, "avro-in", events, keys, null);
            produce(kafka, "registry-in", events, keys, WireFormat.header(id));
            for (int round = 1; round <= rounds; round++) {
                for (int slot = 0; slot < modes.size(); slot++) {
                    // The order turns each round, so no mode always runs right after the same other one.
                    String mode = modes.get((slot + round - 1) % modes.size());
                    String name = mode + "-r" + round;
                    kafka.createTopic(name + "-out", 2);
                    kafka.createTopic(name + "-dead", 1);
                    StreamExecutionEnvironment env = env();
                    if (mode.startsWith("passthrough")) {
                        passthrough(env, kafka, name, mode.equals("passthrough-forecast"));
                    } else {
                        boolean framed = mode.equals("registry");
                        KafkaForecastPipeline.builder().bootstrapServers(kafka.bootstrapServers())
                                .observationsTopic(framed ? "registry-in" : "avro-in").forecastsTopic(name + "-out")
                                .deadLettersTopic(name + "-dead").groupId(name)
                                .format(framed ? ObservationFormat.AVRO_REGISTRY : ObservationFormat.AVRO)
                                .registry(RegistrySettings.of(registry.url()))
                                .outputFormat(framed ? OutputFormat.AVRO_REGISTRY : OutputFormat.AVRO)
                                .deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                                .transactionTimeout(Duration.ofMinutes(5)).bounded(true).forecaster(forecaster())
                                .build().addTo(env);
                    }
                    Map<String, Double> cpu;
                    double s;
                    try (ThreadCpu threads = new ThreadCpu(KafkaFormatsBench::threadKind)) {
                        s = env.execute(name).getNetRuntime(TimeUnit.MILLISECONDS) / 1000.0;
                        cpu = threads.stop(THREAD_KINDS);
                    }
                    double rate = events / s;
                    if (round > 1) {
                        rates.computeIfAbsent(mode, m -> new ArrayList<>()).add(rate);
                    }
                    System.out.printf(Locale.ROOT, "e2e_events_per_s=%.0f mode=%s round=%d events=%d keys=%d"
                            + " net_runtime_s=%.2f guarantee=exactly-once parallelism=2%n", rate, mode, round, events,
                            keys, s);
                    System.out.printf(Locale.ROOT, "e2e_cpu mode=%s round=%d %s%n", mode, round,
                            ThreadCpu.perEvent(cpu, events));
                }
            }
        }
        if (rounds > 1 && rates.containsKey("avro") && rates.containsKey("registry") && rates.containsKey("passthrough")) {
            double avro = median(rates.get("avro"));
            double reg = median(rates.get("registry"));
            double pass = median(rates.get("passthrough"));
            System.out.printf(Locale.ROOT, "e2e_median rounds=2..%d avro=%.0f registry=%.0f passthrough=%.0f"
                    + " registry_over_avro=%.2f avro_over_passthrough=%.2f registry_over_passthrough=%.2f%n", rounds,
                    avro, reg, pass, reg / avro, avro / pass, reg / pass);
        }
        return 0;
    }

    /** The kinds of thread {@link #threadKind} tells apart, in the order the e2e_cpu line prints them. */
    static final List<String> THREAD_KINDS = List.of("task", "source", "producer", "broker", "other_java");

    /**
     * The kind of a thread of this JVM by its name: the job's keyed task (the step operator, or the passthrough's
     * map, with the sink writer chained to it), the Kafka sources, the producers' sender threads, the broker's
     * request handlers and network threads; null for any other.
     */
    static String threadKind(String name) {
        if (name.startsWith("flink-rnn step") || name.startsWith("keyed passthrough")) {
            return "task";
        } else if (name.startsWith("Source")) {
            return "source";
        } else if (name.startsWith("kafka-producer-network-thread")) {
            return "producer";
        } else if (name.startsWith("data-plane-kafka")) {
            return "broker";
        }
        return null;
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /**
     * Source → decode → keyBy(key) → the same record → exactly-once sink: the pipeline without the model. With
     * {@code asForecast} (mode passthrough-forecast, a diagnostic) each record leaves as a Forecast of the size
     * the job writes (its model id, version and backend strings, one value), without a model or keyed state:
     * what the job's output alone costs.
     */
    private static void passthrough(StreamExecutionEnvironment env, EmbeddedKafka kafka, String name,
            boolean asForecast) {
        DataStream<SourceRecord> raw = env.fromSource(FlinkRnnKafka.observationSource(kafka.bootstrapServers(),
                "avro-in", name, ObservationFormat.AVRO, io.flinkrnn.operators.InputLimits.defaults(),
                OffsetsInitializer.committedOffsets(org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST),
                true), WatermarkStrategy.noWatermarks(), "observations");
        String topic = name + "-out";
        var keyed = FlinkRnnKafka.decoded(raw).keyBy(Observation::getKey);
        if (asForecast) {
            keyed.map(o -> Forecast.newBuilder().setKey(o.getKey()).setEventTime(o.getEventTime())
                    .setModelId("e2e-bench").setModelVersion("1").setHorizon(1).setValues(o.getValues())
                    .setBackend("java:java-vector512 x1 threads").build()).returns(new AvroTypeInfo<>(Forecast.class))
                    .name("keyed passthrough as forecasts").sinkTo(sink(kafka, name, new PlainAvro<>(topic,
                            Forecast.class)));
        } else {
            keyed.map(o -> o).returns(new AvroTypeInfo<>(Observation.class)).name("keyed passthrough")
                    .sinkTo(sink(kafka, name, new PlainAvro<>(topic, Observation.class)));
        }
    }

    private static <T> KafkaSink<T> sink(EmbeddedKafka kafka, String name, KafkaRecordSerializationSchema<T> s) {
        return KafkaSink.<T>builder().setBootstrapServers(kafka.bootstrapServers())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE).setTransactionalIdPrefix(name)
                .setProperty("transaction.timeout.ms", "300000").setRecordSerializer(s).build();
    }

    /** Plain Avro values keyed by the record's {@code key} field (Observation and Forecast both have one). */
    private static final class PlainAvro<T extends org.apache.avro.specific.SpecificRecord>
            implements KafkaRecordSerializationSchema<T> {
        private static final long serialVersionUID = 1L;
        private final String topic;
        private final Class<T> type;
        private transient AvroCodec<T> codec;
        private transient int keyField;

        PlainAvro(String topic, Class<T> type) {
            this.topic = topic;
            this.type = type;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(T o, KafkaSinkContext context, Long timestamp) {
            if (codec == null) {
                codec = new AvroCodec<>(type);
                keyField = o.getSchema().getField("key").pos();
            }
            return new ProducerRecord<>(topic, null, timestamp, o.get(keyField).toString()
                    .getBytes(StandardCharsets.UTF_8), codec.encode(o));
        }
    }

    private static void produce(EmbeddedKafka kafka, String topic, long events, int keys, byte[] header)
            throws Exception {
        AvroCodec<Observation> codec = new AvroCodec<>(Observation.class);
        List<byte[][]> batch = new ArrayList<>();
        for (long i = 0; i < events; i++) {
            Observation o = BenchModels.observation(i, keys);
            batch.add(new byte[][] {o.getKey().getBytes(StandardCharsets.UTF_8), codec.encode(o, header)});
            if (batch.size() == 50_000) {
                kafka.produce(topic, batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            kafka.produce(topic, batch);
        }
    }

    private static StreamExecutionEnvironment env() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(1000);
        env.getConfig().enableObjectReuse(); // as the job does (FlinkRnnJob.build), for every mode
        return env;
    }

    private static RnnForecaster forecaster() {
        return RnnForecaster.builder().model(BenchModels.lstm(1, 64, 1, 7), "e2e-bench", "1").batchSize(512)
                .maxLatency(Duration.ofMillis(20))
                .backend(BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1)).build();
    }
}
