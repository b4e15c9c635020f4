package io.flinkrnn.operators.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.testkit.EmbeddedKafka;
import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.operators.RnnForecaster;
import io.flinkrnn.schemas.DeadLetter;
import io.flinkrnn.schemas.DeadLetterReason;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad records of every kind mixed into good streams on real topics, Avro and JSON: every bad one reaches the
 * dead-letter topic with its reason (undecodable ones with their raw bytes, topic, partition and offset),
 * every good one is forecast, and the job never restarts (restarts are off: a failure fails the test).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class KafkaBadInputIT {
    static final RnnModel MODEL = RandomModels.model(CellType.GRU, GruResetMode.AFTER_PRODUCT, 2, 8, 1, 1, 4);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();
    static EmbeddedKafka kafka;

    @BeforeAll
    static void broker() {
        kafka = KAFKA.get();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Map<DeadLetterReason, Integer> run(String name, ObservationFormat format, List<byte[][]> records,
            int goodCount) throws Exception {
        kafka.createTopic(name + "-in", 2);
        kafka.createTopic(name + "-out", 1);
        kafka.createTopic(name + "-dead", 1);
        kafka.produce(name + "-in", records);
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(200);
        RnnForecaster f = RnnForecaster.builder().model(MODEL, "bad-input", "1").batchSize(32)
                .backend(BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1)).build();
        KafkaForecastPipeline.builder().bootstrapServers(kafka.bootstrapServers()).observationsTopic(name + "-in")
                .forecastsTopic(name + "-out").deadLettersTopic(name + "-dead").groupId(name + "-job").format(format)
                .transactionTimeout(Duration.ofMinutes(5)).bounded(true).forecaster(f).build().addTo(env);
        env.execute(name);

        List<ConsumerRecord<byte[], byte[]>> out = kafka.consume(name + "-out", goodCount, Duration.ofSeconds(60),
                Duration.ofSeconds(1));
        assertEquals(goodCount, out.size(), "every good record forecast exactly once");
        AvroCodec<Forecast> fc = new AvroCodec<>(Forecast.class);
        for (ConsumerRecord<byte[], byte[]> r : out) {
            assertEquals(MODEL.outputSize(), fc.decode(r.value()).getValues().size());
        }
        AvroCodec<DeadLetter> dc = new AvroCodec<>(DeadLetter.class);
        Map<DeadLetterReason, Integer> reasons = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.consume(name + "-dead", 1, Duration.ofSeconds(20),
                Duration.ofSeconds(2))) {
            DeadLetter d = dc.decode(r.value());
            reasons.merge(d.getReason(), 1, Integer::sum);
            assertTrue(!d.getMessage().isBlank());
            if (d.getReason() == DeadLetterReason.UNDECODABLE) {
                assertEquals(name + "-in", d.getTopic());
                assertTrue(d.getPartition() != null && d.getOffset() != null, "position of the bad record");
            }
        }
        return reasons;
    }

    @Test
    void avroStreamWithBadRecords() throws Exception {
        AvroCodec<Observation> codec = new AvroCodec<>(Observation.class);
        List<byte[][]> in = new ArrayList<>();
        int good = 0;
        for (int s = 0; s < 30; s++) {
            for (int k = 0; k < 4; k++) {
                in.add(new byte[][] {b("k" + k), codec.encode(Observation.newBuilder().setKey("k" + k)
                        .setEventTime(Instant.ofEpochMilli(1000L * (s + 1))).setValues(List.of(s * 0.1f, k * 1f))
                        .build())});
                good++;
            }
            if (s == 5) {
                in.add(new byte[][] {b("k1"), b("definitely not avro")});
                in.add(new byte[][] {b("k2"), null});
                in.add(new byte[][] {b("k3"), codec.encode(Observation.newBuilder().setKey("k3")
                        .setEventTime(Instant.ofEpochMilli(999_999)).setValues(List.of(1f)).build())});
                in.add(new byte[][] {b("k0"), codec.encode(Observation.newBuilder().setKey("k0")
                        .setEventTime(Instant.ofEpochMilli(999_999)).setValues(List.of(Float.NaN, 1f)).build())});
            }
            if (s == 9) {
                // k2 goes back in time (its step 3), after steps 0..9 were stepped.
                in.add(new byte[][] {b("k2"), codec.encode(Observation.newBuilder().setKey("k2")
                        .setEventTime(Instant.ofEpochMilli(4000)).setValues(List.of(1f, 2f)).build())});
            }
        }
        Map<DeadLetterReason, Integer> reasons = run("avro", ObservationFormat.AVRO, in, good);
        assertEquals(Map.of(DeadLetterReason.UNDECODABLE, 2, DeadLetterReason.WRONG_VALUE_COUNT, 1,
                DeadLetterReason.NON_FINITE_VALUE, 1, DeadLetterReason.TIME_WENT_BACKWARDS, 1), reasons);
    }

    /**
     * The bad clock: one record stamped a day ahead and one 31 minutes ahead in the middle of a live key's
     * stream. Both are turned away (EVENT_TIME_AHEAD) and every honest record after them is still forecast;
     * without the bound the first would have been stepped and the 150 after it rejected as TIME_WENT_BACKWARDS.
     */
    @Test
    void aRecordStampedInTheFutureDoesNotPoisonItsKey() throws Exception {
        AvroCodec<Observation> codec = new AvroCodec<>(Observation.class);
        long start = System.currentTimeMillis() - 300 * 1000L;
        List<byte[][]> in = new ArrayList<>();
        for (int s = 0; s < 300; s++) {
            in.add(new byte[][] {b("clock"), codec.encode(Observation.newBuilder().setKey("clock")
                    .setEventTime(Instant.ofEpochMilli(start + s * 1000L)).setValues(List.of(s * 0.01f, 1f)).build())});
            if (s == 100 || s == 150) {
                long ahead = s == 100 ? Duration.ofDays(1).toMillis() : Duration.ofMinutes(31).toMillis();
                in.add(new byte[][] {b("clock"), codec.encode(Observation.newBuilder().setKey("clock")
                        .setEventTime(Instant.ofEpochMilli(System.currentTimeMillis() + ahead))
                        .setValues(List.of(9f, 9f)).build())});
            }
        }
        Map<DeadLetterReason, Integer> reasons = run("clock", ObservationFormat.AVRO, in, 300);
        assertEquals(Map.of(DeadLetterReason.EVENT_TIME_AHEAD, 2), reasons);
    }

    @Test
    void jsonStreamWithBadRecords() throws Exception {
        List<byte[][]> in = new ArrayList<>();
        int good = 0;
        for (int s = 0; s < 20; s++) {
            String time = s % 2 == 0 ? Long.toString(5000L + s * 1000) : "\"" + Instant.ofEpochMilli(5000L + s * 1000) + "\"";
            in.add(new byte[][] {b("j"), b("{\"key\":\"j\",\"eventTime\":" + time + ",\"values\":[" + s + ",1.5]}")});
            good++;
        }
        in.add(new byte[][] {b("j"), b("{\"key\":\"j\",\"values\":[1,2]}")});
        in.add(new byte[][] {b("j"), b("[1,2,3]")});
        in.add(new byte[][] {b("x"), b("{\"key\":\"\",\"eventTime\":1,\"values\":[1,2]}")});
        Map<DeadLetterReason, Integer> reasons = run("json", ObservationFormat.JSON, in, good);
        assertEquals(Map.of(DeadLetterReason.UNDECODABLE, 2, DeadLetterReason.MISSING_KEY, 1), reasons);
    }
}
