package io.flinkrnn.operators.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.testkit.EmbeddedKafka;
import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.StepBackend;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.operators.CollectingMetricReporter;
import io.flinkrnn.operators.RnnForecaster;
import io.flinkrnn.operators.StateBackends;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka → job → Kafka with a real broker and a real MiniCluster, read back with {@code read_committed}:
 * exactly one forecast per observation, each bit-identical to stepping that key's sequence alone through
 * the kernels — in a plain run, across an injected failure, and across savepoint rescales 2 → 4 → 1; each on
 * the heap and on RocksDB with incremental checkpoints (proven by RocksDB's own metrics, not by the setting).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class KafkaExactlyOnceIT {
    static final int KEYS = 50;
    static final int STEPS = 200;
    static final RnnModel MODEL = RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 2, 16, 2, 3, 21);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(CollectingMetricReporter.configuration()).setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4).build());

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
    static EmbeddedKafka kafka;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void broker() {
        kafka = KAFKA.get();
    }

    static Observation obs(int k, int step) {
        return SensorSeries.obs(k, step);
    }

    static void produce(String topic, int from, int to) throws Exception {
        SensorSeries.produce(kafka, topic, KEYS, from, to);
    }

    static KafkaForecastPipeline.Builder topics(String name, boolean bounded) {
        return KafkaForecastPipeline.builder().bootstrapServers(kafka.bootstrapServers()).observationsTopic(name + "-in")
                .forecastsTopic(name + "-out").deadLettersTopic(name + "-dead").groupId(name + "-job")
                .format(ObservationFormat.AVRO).deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .transactionTimeout(Duration.ofMinutes(5)).bounded(bounded);
    }

    static void createTopics(String name) throws Exception {
        kafka.createTopic(name + "-in", 4);
        kafka.createTopic(name + "-out", 2);
        kafka.createTopic(name + "-dead", 1);
    }

    static StreamExecutionEnvironment env(int parallelism, String backend, Configuration extra) {
        Configuration conf = StateBackends.of(backend, tmp);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        conf.addAll(extra);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(parallelism);
        env.enableCheckpointing(200);
        return env;
    }

    static RnnForecaster forecaster(String name) {
        return RnnForecaster.builder().model(MODEL, name, "1").batchSize(128).maxLatency(Duration.ofMillis(20))
                .backend(BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1)).build();
    }

    /** Reads the output topic and checks: one forecast per observation, bit-identical to the kernels. */
    static void verify(String topic, int steps) throws Exception {
        int expectedCount = KEYS * steps;
        List<ConsumerRecord<byte[], byte[]>> records = kafka.consume(topic, expectedCount, Duration.ofSeconds(60),
                Duration.ofSeconds(2));
        AvroCodec<Forecast> codec = new AvroCodec<>(Forecast.class);
        Map<String, Map<Long, float[]>> got = new HashMap<>();
        int duplicates = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            Forecast f = codec.decode(r.value());
            float[] v = new float[f.getValues().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = f.getValues().get(i);
            }
            if (got.computeIfAbsent(f.getKey(), k -> new HashMap<>()).put(f.getEventTime().toEpochMilli(), v) != null) {
                duplicates++;
            }
        }
        assertEquals(0, duplicates, "duplicated forecasts");
        if (records.size() != expectedCount) {
            List<String> lost = new ArrayList<>();
            for (int k = 0; k < KEYS; k++) {
                for (int s = 0; s < steps; s++) {
                    Map<Long, float[]> series = got.getOrDefault("sensor-" + k, Map.of());
                    if (!series.containsKey(obs(k, s).getEventTime().toEpochMilli())) {
                        lost.add("sensor-" + k + "@" + s);
                    }
                }
            }
            AvroCodec<io.flinkrnn.schemas.DeadLetter> dl = new AvroCodec<>(io.flinkrnn.schemas.DeadLetter.class);
            List<String> dead = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : kafka.consume(topic.replace("-out", "-dead"), 1,
                    Duration.ofSeconds(5), Duration.ZERO)) {
                io.flinkrnn.schemas.DeadLetter d = dl.decode(r.value());
                dead.add(d.getReason() + " " + d.getKey() + ": " + d.getMessage());
            }
            assertEquals(expectedCount, records.size(), "forecasts read back with read_committed; lost " + lost
                    + "; dead letters " + dead);
        }
        try (StepBackend b = new CpuStepBackend(MODEL, 1, "reference")) {
            for (int k = 0; k < KEYS; k++) {
                float[] state = new float[MODEL.stateSize()];
                float[] out = new float[MODEL.outputSize()];
                Map<Long, float[]> series = got.get("sensor-" + k);
                for (int s = 0; s < steps; s++) {
                    Observation o = obs(k, s);
                    b.step(1, new float[] {o.getValues().get(0), o.getValues().get(1)}, state, out);
                    float[] actual = series.get(o.getEventTime().toEpochMilli());
                    assertTrue(actual != null, "lost: sensor-" + k + " step " + s);
                    assertArrayEquals(out, actual, "mismatched: sensor-" + k + " step " + s);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {StateBackends.HASHMAP, StateBackends.ROCKSDB})
    void endToEndExactlyOnce(String backend) throws Exception {
        String name = "e2e-" + backend;
        createTopics(name);
        produce(name + "-in", 0, STEPS);
        StreamExecutionEnvironment env = env(2, backend, new Configuration());
        topics(name, true).forecaster(forecaster(name)).build().addTo(env);
        env.execute(name);
        verify(name + "-out", STEPS);
        StateBackends.assertBackend(backend, CollectingMetricReporter.metrics(), "flink-rnn step " + name);
    }

    @ParameterizedTest
    @ValueSource(strings = {StateBackends.HASHMAP, StateBackends.ROCKSDB})
    void failureAfterACheckpointLosesAndDuplicatesNothing(String backend) throws Exception {
        String name = "failover-" + backend;
        createTopics(name);
        produce(name + "-in", 0, STEPS);
        FailOnce.reset();
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = env(2, backend, conf);
        topics(name, true).forecaster(forecaster(name)).between(s -> s.map(new FailOnce())
                .returns(new AvroTypeInfo<>(Observation.class)).name("fail once")).build().addTo(env);
        env.execute(name);
        assertTrue(FailOnce.FAILED.get(), "the failure was never injected: the test proved nothing");
        verify(name + "-out", STEPS);
        StateBackends.assertBackend(backend, CollectingMetricReporter.metrics(), "flink-rnn step " + name);
    }

    @ParameterizedTest
    @ValueSource(strings = {StateBackends.HASHMAP, StateBackends.ROCKSDB})
    void rescaleThroughSavepointsTwoToFourToOne(String backend) throws Exception {
        String name = "rescale-" + backend;
        createTopics(name);
        String savepoints = tmp.resolve("savepoints-" + backend).toUri().toString();
        int[] parallelism = {2, 4, 1};
        int[] until = {100, 150, STEPS};
        String savepoint = null;
        for (int phase = 0; phase < 3; phase++) {
            produce(name + "-in", phase == 0 ? 0 : until[phase - 1], until[phase]);
            Configuration conf = new Configuration();
            if (savepoint != null) {
                conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
            }
            StreamExecutionEnvironment env = env(parallelism[phase], backend, conf);
            topics(name, false).forecaster(forecaster(name)).build().addTo(env);
            JobClient job = env.executeAsync(name + " phase " + phase + " p=" + parallelism[phase]);
            // Wait until this phase's forecasts are committed, then stop with a savepoint (or cancel at the end).
            int expected = KEYS * until[phase];
            List<ConsumerRecord<byte[], byte[]>> seen = kafka.consume(name + "-out", expected, Duration.ofMinutes(2),
                    Duration.ZERO);
            assertTrue(seen.size() >= expected, "phase " + phase + ": only " + seen.size() + " of " + expected);
            if (phase < 2) {
                savepoint = job.stopWithSavepoint(false, savepoints, SavepointFormatType.CANONICAL)
                        .get(2, TimeUnit.MINUTES);
            } else {
                job.cancel().get(1, TimeUnit.MINUTES);
            }
        }
        verify(name + "-out", STEPS);
        StateBackends.assertBackend(backend, CollectingMetricReporter.metrics(), "flink-rnn step " + name);
    }
}
