package io.flinkrnn.operators.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.operators.CollectingMetricReporter;
import io.flinkrnn.operators.RnnForecaster;
import io.flinkrnn.operators.kafka.registry.RegistryOptions;
import io.flinkrnn.operators.kafka.registry.RegistrySettings;
import io.flinkrnn.schemas.DeadLetter;
import io.flinkrnn.schemas.DeadLetterReason;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import io.flinkrnn.testkit.EmbeddedKafka;
import io.flinkrnn.testkit.LoopbackSchemaRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Users' own topics through a real broker, a loopback registry speaking Confluent's REST calls and a real
 * MiniCluster: the same rows ({@link SensorSeries}) sent as {@code Observation}s, as registry Avro from a
 * producer that evolves its schema mid-stream, as JSON of the user's own nested shape, and as registry Avro
 * through a registry outage. Every good record is forecast exactly once and bit for bit as its Observation
 * twin; every bad record is a dead letter with its own reason; the outage turns no good record into a dead
 * letter, fails the job past its bound and costs nothing after Flink's restart.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RegistryPipelineIT {
    static final int KEYS = 20;
    static final int STEPS = 60;
    static final RnnModel MODEL = RandomModels.model(CellType.GRU, GruResetMode.AFTER_PRODUCT, 2, 8, 1, 2, 33);
    static final FieldMapping SENSOR = FieldMapping.of("sensor_id", "ts", "temperature", "pressure");
    static final String READING_V1 = "{\"type\":\"record\",\"name\":\"Reading\",\"namespace\":\"com.acme\",\"fields\":["
            + "{\"name\":\"sensor_id\",\"type\":\"string\"},"
            + "{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
            + "{\"name\":\"temperature\",\"type\":\"double\"},{\"name\":\"pressure\",\"type\":\"double\"}]}";
    /** v2: ts and sensor_id swapped, a field with a default added. */
    static final String READING_V2 = "{\"type\":\"record\",\"name\":\"Reading\",\"namespace\":\"com.acme\",\"fields\":["
            + "{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
            + "{\"name\":\"sensor_id\",\"type\":\"string\"},"
            + "{\"name\":\"temperature\",\"type\":\"double\"},{\"name\":\"pressure\",\"type\":\"double\"},"
            + "{\"name\":\"unit\",\"type\":\"string\",\"default\":\"C\"}]}";
    static final String READING_NO_PRESSURE = "{\"type\":\"record\",\"name\":\"Reading\",\"namespace\":\"com.acme\","
            + "\"fields\":[{\"name\":\"sensor_id\",\"type\":\"string\"},"
            + "{\"name\":\"ts\",\"type\":{\"type\":\"long\",\"logicalType\":\"timestamp-millis\"}},"
            + "{\"name\":\"temperature\",\"type\":\"double\"}]}";

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(CollectingMetricReporter.configuration()).setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
    static EmbeddedKafka kafka;
    static LoopbackSchemaRegistry registry;
    /** The forecasts of the rows sent as Observations, by key@time: what every other form must reproduce. */
    static Map<String, Forecast> reference;

    @BeforeAll
    static void start() throws Exception {
        kafka = KAFKA.get();
        registry = LoopbackSchemaRegistry.start();
        List<byte[][]> in = new ArrayList<>();
        AvroCodec<Observation> codec = new AvroCodec<>(Observation.class);
        for (int s = 0; s < STEPS; s++) {
            for (int k = 0; k < KEYS; k++) {
                in.add(kv(k, codec.encode(SensorSeries.obs(k, s))));
            }
        }
        createTopics("reference");
        kafka.produce("reference-in", in);
        StreamExecutionEnvironment env = env(new Configuration());
        pipeline("reference", ObservationFormat.AVRO).build().addTo(env);
        env.execute("reference");
        reference = forecasts("reference-out", KEYS * STEPS, -1);
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    static byte[][] kv(int k, byte[] value) {
        return new byte[][] {("sensor-" + k).getBytes(StandardCharsets.UTF_8), value};
    }

    static void createTopics(String name) throws Exception {
        kafka.createTopic(name + "-in", 2);
        kafka.createTopic(name + "-out", 2);
        kafka.createTopic(name + "-dead", 1);
    }

    static StreamExecutionEnvironment env(Configuration extra) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.addAll(extra);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(200);
        return env;
    }

    static KafkaForecastPipeline.Builder pipeline(String name, ObservationFormat format) {
        RnnForecaster f = RnnForecaster.builder().model(MODEL, "registry-it", "1").batchSize(64)
                .maxLatency(Duration.ofMillis(20))
                .backend(BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1)).build();
        return KafkaForecastPipeline.builder().bootstrapServers(kafka.bootstrapServers()).observationsTopic(name + "-in")
                .forecastsTopic(name + "-out").deadLettersTopic(name + "-dead").groupId(name + "-job").format(format)
                .deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE).transactionTimeout(Duration.ofMinutes(5))
                .bounded(true).forecaster(f);
    }

    static RegistrySettings registrySettings(Duration retryTimeout) {
        return RegistrySettings.from(new Configuration().set(RegistryOptions.URL, registry.url())
                .set(RegistryOptions.RETRY_INITIAL_BACKOFF, Duration.ofMillis(50))
                .set(RegistryOptions.RETRY_MAX_BACKOFF, Duration.ofMillis(300))
                .set(RegistryOptions.RETRY_TIMEOUT, retryTimeout));
    }

    /**
     * The committed forecasts of {@code topic} by key@time, failing on a duplicate; {@code registryId} >= 0:
     * every value must be framed with that schema id.
     */
    static Map<String, Forecast> forecasts(String topic, int expected, int registryId) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> out = kafka.consume(topic, expected, Duration.ofSeconds(60),
                Duration.ofSeconds(1));
        AvroCodec<Forecast> codec = new AvroCodec<>(Forecast.class);
        Map<String, Forecast> byKey = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : out) {
            Forecast f = registryId >= 0 ? RegistryRecords.forecast(r.value(), registryId) : codec.decode(r.value());
            Forecast before = byKey.put(f.getKey() + "@" + f.getEventTime().toEpochMilli(), f);
            assertTrue(before == null, "duplicated forecast " + f.getKey() + "@" + f.getEventTime());
        }
        assertEquals(expected, out.size(), topic + ": forecasts read back with read_committed");
        return byKey;
    }

    static Map<DeadLetterReason, Integer> deadLetters(String topic, int expected, int registryId) throws Exception {
        Map<DeadLetterReason, Integer> reasons = new TreeMap<>();
        AvroCodec<DeadLetter> codec = new AvroCodec<>(DeadLetter.class);
        for (ConsumerRecord<byte[], byte[]> r : kafka.consume(topic, expected, Duration.ofSeconds(30),
                Duration.ofSeconds(1))) {
            DeadLetter d = registryId >= 0 ? RegistryRecords.unframe(r.value(), registryId, DeadLetter.class)
                    : codec.decode(r.value());
            reasons.merge(d.getReason(), 1, Integer::sum);
        }
        return reasons;
    }

    static void assertSameAsReference(Map<String, Forecast> got) {
        assertEquals(reference.keySet(), got.keySet(), "the same key@time forecast");
        int differing = 0;
        String first = null;
        for (Map.Entry<String, Forecast> e : reference.entrySet()) {
            if (!e.getValue().equals(got.get(e.getKey()))) {
                differing++;
                first = first == null ? e.getKey() + ": " + e.getValue() + " vs " + got.get(e.getKey()) : first;
            }
        }
        assertEquals(0, differing, "forecasts that differ from the Observation run; first " + first);
    }

    static byte[] reading(int id, Schema schema, int k, int s) {
        Observation o = SensorSeries.obs(k, s);
        return RegistryRecords.framed(id, schema, r -> {
            r.put("sensor_id", o.getKey());
            r.put("ts", o.getEventTime().toEpochMilli());
            r.put("temperature", (double) o.getValues().get(0));
            if (schema.getField("pressure") != null) {
                r.put("pressure", (double) o.getValues().get(1));
            }
            if (schema.getField("unit") != null) {
                r.put("unit", "K");
            }
        });
    }

    @Test
    void aProducerEvolvingItsSchemaMidStreamIsForecastOnceAsItsObservationsWere() throws Exception {
        String name = "evolving";
        createTopics(name);
        Schema v1 = new Schema.Parser().parse(READING_V1);
        Schema v2 = new Schema.Parser().parse(READING_V2);
        Schema v3 = new Schema.Parser().parse(READING_NO_PRESSURE);
        int id1 = registry.register(name + "-in-value", READING_V1);
        int id2 = registry.register(name + "-in-value", READING_V2);
        int id3 = registry.register("elsewhere-value", READING_NO_PRESSURE);
        List<byte[][]> in = new ArrayList<>();
        for (int s = 0; s < STEPS; s++) {
            for (int k = 0; k < KEYS; k++) {
                in.add(kv(k, s < STEPS / 2 ? reading(id1, v1, k, s) : reading(id2, v2, k, s)));
            }
            if (s == 10 || s == 40) {
                in.add(kv(3, reading(id1 + 1000, v1, 3, s)));
                in.add(kv(4, reading(id3, v3, 4, s)));
            }
            if (s == 45) {
                in.add(kv(5, reading(id2 + 2000, v2, 5, s)));
                in.add(kv(6, SensorSeries.obs(6, s).toString().getBytes(StandardCharsets.UTF_8)));
            }
        }
        kafka.produce(name + "-in", in);
        StreamExecutionEnvironment env = env(new Configuration());
        pipeline(name, ObservationFormat.AVRO_REGISTRY).fieldMapping(SENSOR).registry(registrySettings(
                Duration.ofSeconds(30))).outputFormat(OutputFormat.AVRO_REGISTRY).build().addTo(env);
        env.execute(name);
        Map<String, List<Integer>> subjects = registry.subjects();
        int forecastId = subjects.get(name + "-out-value").get(0);
        int deadId = subjects.get(name + "-dead-value").get(0);
        assertSameAsReference(forecasts(name + "-out", KEYS * STEPS, forecastId));
        assertEquals(Map.of(DeadLetterReason.UNKNOWN_SCHEMA_ID, 3, DeadLetterReason.MISSING_FIELD, 2,
                DeadLetterReason.UNDECODABLE, 1), deadLetters(name + "-dead", 6, deadId));
    }

    @Test
    void jsonRecordsOfTheUsersOwnNestedShapeAreForecastOnceAsTheirObservationsWere() throws Exception {
        String name = "json-shape";
        createTopics(name);
        List<byte[][]> in = new ArrayList<>();
        for (int s = 0; s < STEPS; s++) {
            for (int k = 0; k < KEYS; k++) {
                Observation o = SensorSeries.obs(k, s);
                long t = o.getEventTime().toEpochMilli();
                String time = (s + k) % 2 == 0 ? Long.toString(t) : "\"" + Instant.ofEpochMilli(t) + "\"";
                in.add(kv(k, ("{\"device\":{\"id\":\"" + o.getKey() + "\",\"site\":\"north\"},\"ts\":" + time
                        + ",\"readings\":{\"temperature\":" + o.getValues().get(0) + ",\"pressure\":"
                        + o.getValues().get(1) + "},\"note\":[1,2]}").getBytes(StandardCharsets.UTF_8)));
            }
            if (s == 20) {
                in.add(kv(1, "{\"device\":{\"id\":\"sensor-1\"},\"ts\":1,\"readings\":{\"temperature\":1}}"
                        .getBytes(StandardCharsets.UTF_8)));
            }
        }
        kafka.produce(name + "-in", in);
        StreamExecutionEnvironment env = env(new Configuration());
        pipeline(name, ObservationFormat.JSON).fieldMapping(FieldMapping.of("device.id", "ts", "readings.temperature",
                "readings.pressure")).build().addTo(env);
        env.execute(name);
        assertSameAsReference(forecasts(name + "-out", KEYS * STEPS, -1));
        assertEquals(Map.of(DeadLetterReason.MISSING_FIELD, 1), deadLetters(name + "-dead", 1, -1));
    }

    /**
     * Observation-shaped registry records (the built-in shape, the producer adding a {@code unit} after the key
     * mid-stream) with the registry down twice: first until the job, waiting for the new schema, has failed past
     * its 1.5 s retry bound and been restarted from its checkpoint (and a second more); then for 300 ms from the
     * first refused lookup of another new schema, within the bound, which the job rides out without a restart.
     */
    @Test
    void aRegistryOutageFailsTheJobPastItsBoundAndLosesOrDuplicatesNothing() throws Exception {
        String name = "outage";
        createTopics(name);
        String withUnit = Observation.getClassSchema().toString().replace("{\"name\":\"eventTime\"",
                "{\"name\":\"unit\",\"type\":\"string\",\"default\":\"C\"},{\"name\":\"eventTime\"");
        String withSite = withUnit.replace("{\"name\":\"eventTime\"",
                "{\"name\":\"site\",\"type\":[\"null\",\"string\"],\"default\":null},{\"name\":\"eventTime\"");
        Schema v1 = Observation.getClassSchema();
        Schema v2 = new Schema.Parser().parse(withUnit);
        Schema v3 = new Schema.Parser().parse(withSite);
        int id1 = registry.register(name + "-in-value", v1.toString());
        int id2 = registry.register(name + "-in-value", withUnit);
        int id3 = registry.register(name + "-in-value", withSite);
        Configuration restarts = new Configuration();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 50);
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = env(restarts);
        pipeline(name, ObservationFormat.AVRO_REGISTRY).bounded(false).registry(registrySettings(
                Duration.ofMillis(1500))).build().addTo(env);
        JobClient job = env.executeAsync(name);
        int third = STEPS / 3;
        produceObservations(name, id1, v1, 0, third);
        assertTrue(kafka.consume(name + "-out", KEYS * third, Duration.ofSeconds(60), Duration.ZERO).size()
                >= KEYS * third, "first third forecast before the outage");

        // Long: down until the job has failed past its bound and been restarted (from its checkpoint, its cache
        // empty, so the restarted job needs the registry again and fails again while it stays down).
        registry.outage(true);
        long outageStart = System.nanoTime();
        produceObservations(name, id2, v2, third, 2 * third);
        await(() -> restarts(name) >= 1, "a restart after the retry bound");
        Thread.sleep(1000);
        long longMs = (System.nanoTime() - outageStart) / 1_000_000;
        int refusedLong = registry.refusedDuringOutage();
        registry.outage(false);
        assertTrue(kafka.consume(name + "-out", 2 * KEYS * third, Duration.ofSeconds(60), Duration.ZERO).size()
                >= 2 * KEYS * third, "second third forecast after the outage");
        long restartsAfterLong = restarts(name);

        // Short: down from the first refused lookup of the new schema for 300 ms, well within the 1.5 s bound.
        registry.outage(true);
        produceObservations(name, id3, v3, 2 * third, STEPS);
        await(() -> registry.refusedDuringOutage() > refusedLong, "a lookup during the short outage");
        Thread.sleep(300);
        registry.outage(false);
        Map<String, Forecast> got = forecasts(name + "-out", KEYS * STEPS, -1);
        long restartsAfterShort = restarts(name);
        job.cancel().get(1, TimeUnit.MINUTES);

        assertSameAsReference(got);
        assertEquals(Map.of(), deadLetters(name + "-dead", 0, -1), "no good record became a dead letter");
        assertEquals(restartsAfterLong, restartsAfterShort, "the short outage was ridden out");
        System.out.printf("registry_outage long_ms=%d bound_ms=1500 restarts=%d refused_requests=%d short_ms=300"
                + " restarts_during_short=%d lost=0 duplicated=0 mismatched=0 dead_letters=0%n", longMs,
                restartsAfterLong, registry.refusedDuringOutage(), restartsAfterShort - restartsAfterLong);
    }

    static void produceObservations(String name, int id, Schema schema, int from, int to) throws Exception {
        List<byte[][]> in = new ArrayList<>();
        for (int s = from; s < to; s++) {
            for (int k = 0; k < KEYS; k++) {
                Observation o = SensorSeries.obs(k, s);
                in.add(kv(k, RegistryRecords.framed(id, schema, r -> {
                    r.put("key", o.getKey());
                    r.put("eventTime", o.getEventTime().toEpochMilli());
                    r.put("values", o.getValues());
                    r.put("attributes", Map.of());
                    if (schema.getField("unit") != null) {
                        r.put("unit", "K");
                    }
                }))); 
            }
        }
        kafka.produce(name + "-in", in);
    }

    static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "waited 60 s for " + what);
            Thread.sleep(20);
        }
    }

    static long restarts(String jobName) {
        return CollectingMetricReporter.metrics().entrySet().stream().filter(e -> e.getKey().contains(jobName)
                && e.getKey().endsWith(".numRestarts")).mapToLong(e -> ((Number) ((Gauge<?>) e.getValue())
                .getValue()).longValue()).max().orElse(-1);
    }
}
