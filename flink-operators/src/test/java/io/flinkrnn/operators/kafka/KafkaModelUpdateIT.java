package io.flinkrnn.operators.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.cpu.CpuStepBackend;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.operators.CollectingMetricReporter;
import io.flinkrnn.operators.RnnForecaster;
import io.flinkrnn.operators.update.ModelUpdateLoader;
import io.flinkrnn.schemas.DeadLetter;
import io.flinkrnn.schemas.DeadLetterReason;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.ModelStatePolicy;
import io.flinkrnn.schemas.ModelUpdate;
import io.flinkrnn.schemas.Observation;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.KeyStateStore;
import io.flinkrnn.stepper.KeyStepper;
import io.flinkrnn.stepper.StepBatch;
import io.flinkrnn.stepper.StepperSettings;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import io.flinkrnn.testkit.EmbeddedKafka;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models that change mid-stream, through a real broker and a real MiniCluster: version 2 (same layout, state
 * kept, artifact at a file: URI) from step 80, version 3 (another hidden size, so every key restarts from zero
 * state; artifact inline) from step 120, and a tampered and a stale update that are refused while the running
 * model keeps forecasting. Every forecast is compared, bit for bit and with its version, to stepping each
 * key's rows alone through the stepper with the same switches: in a plain run, across an injected failure,
 * and across a savepoint after which the artifact file is gone and the job is restarted with its original model.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class KafkaModelUpdateIT {
    static final int KEYS = 30;
    static final int STEPS = 160;
    static final int SWITCH_2 = 80;
    static final int SWITCH_3 = 120;
    static final ForecastModel V1 = ForecastModel.of(RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 2,
            16, 2, 3, 21));
    static final ForecastModel V2 = ForecastModel.of(RandomModels.model(CellType.LSTM, GruResetMode.AFTER_PRODUCT, 2,
            16, 2, 3, 22));
    static final ForecastModel V3 = ForecastModel.of(RandomModels.model(CellType.GRU, GruResetMode.AFTER_PRODUCT, 2,
            12, 1, 3, 23));

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(CollectingMetricReporter.configuration()).setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
    static EmbeddedKafka kafka;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void broker() {
        kafka = KAFKA.get();
    }

    static long time(int step) {
        return SensorSeries.time(step);
    }

    static Observation obs(int k, int step) {
        return SensorSeries.obs(k, step);
    }

    static void produce(String topic, int from, int to) throws Exception {
        SensorSeries.produce(kafka, topic, KEYS, from, to);
    }

    static byte[] artifact(ForecastModel m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelArtifacts.write(m, Map.of(), out);
        return out.toByteArray();
    }

    /**
     * Version 2 at a file: URI from step 80 (keep), version 3 inline from step 120 (reset), a version 4 whose
     * artifact does not match its checksum, and a second version 3: all before any observation at step 80.
     */
    static void publishUpdates(String name) throws Exception {
        byte[] a2 = artifact(V2);
        Path file = tmp.resolve(name + "-v2.avro");
        Files.write(file, a2);
        byte[] a3 = artifact(V3);
        byte[] tampered = a3.clone();
        tampered[tampered.length / 2] ^= 1;
        String sha2 = ModelUpdateLoader.sha256(a2);
        String sha3 = ModelUpdateLoader.sha256(a3);
        List<ModelUpdate> updates = List.of(
                update(name, 2, sha2, null, file.toUri().toString(), SWITCH_2, ModelStatePolicy.KEEP),
                update(name, 3, sha3, a3, null, SWITCH_3, ModelStatePolicy.RESET),
                update(name, 4, sha3, tampered, null, 100, ModelStatePolicy.KEEP),
                update(name, 3, sha2, a2, null, 100, ModelStatePolicy.KEEP));
        AvroCodec<ModelUpdate> codec = new AvroCodec<>(ModelUpdate.class);
        List<byte[][]> kv = new ArrayList<>();
        for (ModelUpdate u : updates) {
            kv.add(new byte[][] {name.getBytes(StandardCharsets.UTF_8), codec.encode(u)});
        }
        kafka.produce(name + "-updates", kv);
    }

    static ModelUpdate update(String name, long version, String sha, byte[] inline, String uri, int step,
            ModelStatePolicy state) {
        // Effective a little before the step's time: the switch rounds it up to the next whole second.
        return ModelUpdate.newBuilder().setModelId(name).setVersion(version).setSha256(sha)
                .setArtifact(inline == null ? null : ByteBuffer.wrap(inline)).setUri(uri)
                .setEffectiveFrom(Instant.ofEpochMilli(time(step) - 400)).setState(state).build();
    }

    static void createTopics(String name) throws Exception {
        kafka.createTopic(name + "-in", 4);
        kafka.createTopic(name + "-out", 2);
        kafka.createTopic(name + "-dead", 1);
        kafka.createTopic(name + "-updates", 1);
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

    static RnnForecaster forecaster(String name) {
        return RnnForecaster.builder().model(V1, name, "1").batchSize(64).maxLatency(Duration.ofMillis(20))
                .backend(BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1))
                .modelUpdates(FlinkRnnKafka.modelUpdates(kafka.bootstrapServers(), name + "-updates")).build();
    }

    static KafkaForecastPipeline.Builder pipeline(String name, boolean bounded) {
        return KafkaForecastPipeline.builder().bootstrapServers(kafka.bootstrapServers()).observationsTopic(name + "-in")
                .forecastsTopic(name + "-out").deadLettersTopic(name + "-dead").groupId(name + "-job")
                .deliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE).transactionTimeout(Duration.ofMinutes(5))
                .bounded(bounded).forecaster(forecaster(name));
    }

    /** Each key stepped alone through the stepper, switching as the updates say. */
    static Map<String, List<Forecast>> reference(String name) throws Exception {
        StepperSettings settings = forecaster(name).settings().stepper();
        Map<String, List<Forecast>> out = new HashMap<>();
        try (KeyStepper s1 = stepper(V1, settings); KeyStepper s2 = stepper(V2, settings);
                KeyStepper s3 = stepper(V3, settings)) {
            for (int k = 0; k < KEYS; k++) {
                List<Forecast> list = new ArrayList<>();
                KeyStateStore.InMemory state = KeyStateStore.inMemory();
                for (int s = 0; s < STEPS; s++) {
                    KeyStepper now = s < SWITCH_2 ? s1 : s < SWITCH_3 ? s2 : s3;
                    Observation o = obs(k, s);
                    if (s == SWITCH_2) {
                        state.write(o.getKey(), s2.adopt(state.read(o.getKey()), s1, true, 2));
                        assertEquals(KeyStepper.Adopted.KEPT, s2.lastAdopted());
                    } else if (s == SWITCH_3) {
                        state.write(o.getKey(), s3.adopt(state.read(o.getKey()), s2, false, 3));
                        assertEquals(KeyStepper.Adopted.RESET, s3.lastAdopted());
                    }
                    StepBatch b = now.batch();
                    b.clear();
                    b.add(o.getKey(), time(s), o.getValues());
                    now.step(b, state);
                    List<Float> v = new ArrayList<>();
                    for (int i = 0; i < now.model().outputs(); i++) {
                        v.add(b.forecast(0, i));
                    }
                    list.add(Forecast.newBuilder().setKey(o.getKey()).setEventTime(o.getEventTime()).setModelId(name)
                            .setModelVersion(s < SWITCH_2 ? "1" : s < SWITCH_3 ? "2" : "3").setHorizon(3).setValues(v)
                            .setBackend("reference").build());
                }
                out.put("sensor-" + k, list);
            }
        }
        return out;
    }

    static KeyStepper stepper(ForecastModel m, StepperSettings settings) {
        return new KeyStepper(m, settings, new CpuStepBackend(m.network(), 1, "reference"), 1);
    }

    /** Exactly one forecast per observation, each with the reference's version and bits. */
    static void verify(String name) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> records = kafka.consume(name + "-out", KEYS * STEPS,
                Duration.ofSeconds(60), Duration.ofSeconds(2));
        assertEquals(KEYS * STEPS, records.size(), "forecasts read back with read_committed");
        AvroCodec<Forecast> codec = new AvroCodec<>(Forecast.class);
        Map<String, Map<Long, Forecast>> got = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            Forecast f = codec.decode(r.value());
            assertTrue(got.computeIfAbsent(f.getKey(), x -> new HashMap<>()).put(f.getEventTime().toEpochMilli(), f)
                    == null, "duplicate forecast " + f.getKey() + "@" + f.getEventTime());
        }
        Map<String, List<Forecast>> expected = reference(name);
        for (Map.Entry<String, List<Forecast>> e : expected.entrySet()) {
            for (Forecast want : e.getValue()) {
                Forecast f = got.get(e.getKey()).get(want.getEventTime().toEpochMilli());
                String at = e.getKey() + " at " + want.getEventTime();
                assertEquals(want.getModelVersion(), f.getModelVersion(), "version of " + at);
                assertEquals(want.getValues(), f.getValues(), "values of " + at);
            }
        }
    }

    /** The two refusals, from each of the two operator instances, with the reason and what was wrong. */
    static void verifyRefusals(String name) throws Exception {
        AvroCodec<DeadLetter> codec = new AvroCodec<>(DeadLetter.class);
        List<String> messages = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.consume(name + "-dead", 4, Duration.ofSeconds(30),
                Duration.ofSeconds(1))) {
            DeadLetter d = codec.decode(r.value());
            assertEquals(DeadLetterReason.MODEL_UPDATE_REFUSED, d.getReason());
            assertEquals("kafka:" + name + "-updates", d.getTopic());
            messages.add(d.getMessage());
        }
        assertEquals(4, messages.size(), "refusals: " + messages);
        assertEquals(2, messages.stream().filter(m -> m.contains("version 4") && m.contains("tampered")).count(),
                messages.toString());
        assertEquals(2, messages.stream().filter(m -> m.contains("version 3 is stale")).count(), messages.toString());
    }

    @Test
    void keysSwitchAtTheirFirstObservationAtTheEffectiveTimeAndBadUpdatesAreRefused() throws Exception {
        String name = "swap";
        createTopics(name);
        publishUpdates(name);
        produce(name + "-in", 0, STEPS);
        StreamExecutionEnvironment env = env(new Configuration());
        pipeline(name, true).build().addTo(env);
        env.execute(name);
        verify(name);
        verifyRefusals(name);
        assertEquals(2 * KEYS, sum(name, "modelUpdates.keysSwitched"), "every key switched twice");
        assertEquals(KEYS, sum(name, "modelUpdates.keysReset"), "once to a model of another layout");
        assertEquals(4L, sum(name, "modelUpdates.accepted"), "two updates on each of two instances");
        assertEquals(4L, sum(name, "modelUpdates.refused"), "two updates on each of two instances");
        assertEquals(0L, sum(name, "modelUpdates.late"));
    }

    @Test
    void aFailureDuringTheSwapGivesTheSameBits() throws Exception {
        String name = "swap-failover";
        createTopics(name);
        publishUpdates(name);
        produce(name + "-in", 0, STEPS);
        FailOnce.reset();
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = env(conf);
        pipeline(name, true).between(s -> s.map(new FailOnce()).returns(new AvroTypeInfo<>(Observation.class))
                .name("fail once")).build().addTo(env);
        env.execute(name);
        assertTrue(FailOnce.FAILED.get(), "the failure was never injected: the test proved nothing");
        verify(name);
    }

    @Test
    void aSavepointKeepsTheSwappedModelEvenWithoutItsArtifactFile() throws Exception {
        String name = "swap-savepoint";
        createTopics(name);
        publishUpdates(name);
        produce(name + "-in", 0, 100);
        String savepoints = tmp.resolve("savepoints").toUri().toString();
        StreamExecutionEnvironment env = env(new Configuration());
        pipeline(name, false).build().addTo(env);
        JobClient job = env.executeAsync(name + " before");
        assertTrue(kafka.consume(name + "-out", KEYS * 100, Duration.ofMinutes(2), Duration.ZERO).size()
                >= KEYS * 100, "forecasts before the savepoint");
        String savepoint = job.stopWithSavepoint(false, savepoints, SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);
        Files.delete(tmp.resolve(name + "-v2.avro"));
        produce(name + "-in", 100, STEPS);
        Configuration conf = new Configuration();
        conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        env = env(conf);
        pipeline(name, false).build().addTo(env);
        job = env.executeAsync(name + " after");
        try {
            assertTrue(kafka.consume(name + "-out", KEYS * STEPS, Duration.ofMinutes(2), Duration.ZERO).size()
                    >= KEYS * STEPS, "forecasts after the restore");
        } finally {
            job.cancel().get(1, TimeUnit.MINUTES);
        }
        verify(name);
    }

    /** A counter summed over the step operator's instances of job {@code name}. */
    static long sum(String name, String suffix) {
        long total = 0;
        for (Map.Entry<String, org.apache.flink.metrics.Metric> e : CollectingMetricReporter.metrics().entrySet()) {
            if (e.getKey().contains("flink-rnn step " + name + ".") && e.getKey().endsWith("." + suffix)
                    && e.getValue() instanceof org.apache.flink.metrics.Counter) {
                total += ((org.apache.flink.metrics.Counter) e.getValue()).getCount();
            }
        }
        return total;
    }
}
