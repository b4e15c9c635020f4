package io.flinkrnn.operators.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.operators.RnnForecaster;
import io.flinkrnn.schemas.DeadLetter;
import io.flinkrnn.schemas.DeadLetterReason;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.stepper.DuplicatePolicy;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.testkit.EmbeddedKafka;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hostile-record corpus ({@link HostileCorpus}) through a real broker, the job with its default limits,
 * and back: in Avro, 100,000 good records with about 11,000 bad ones of 24 kinds; in JSON, 10,000 good with
 * about 2,000 bad of 19 kinds. Restarts are off, so a single job failure fails the test. Every bad record is a
 * dead letter with the reason its kind must get (counted per reason), no dead letter is too large for a
 * Kafka topic, and every good record's forecast is bit for bit the forecast of a run of the good records
 * alone: the bad ones changed no key's state.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class HostileCorpusIT {
    static final ForecastModel MODEL = ForecastModel.builder(RandomModels.model(CellType.LSTM,
            GruResetMode.AFTER_PRODUCT, 2, 16, 1, 1, 31)).features(List.of("a", "b")).targets(List.of("a")).build();

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

    @Test
    void avroCorpus() throws Exception {
        HostileCorpus c = HostileCorpus.avro(250, 400, 9, System.currentTimeMillis(), 17);
        check("hostile-avro", ObservationFormat.AVRO, c, 24);
    }

    @Test
    void jsonCorpus() throws Exception {
        HostileCorpus c = HostileCorpus.json(50, 200, 5, System.currentTimeMillis(), 23);
        check("hostile-json", ObservationFormat.JSON, c, 19);
    }

    private static void check(String name, ObservationFormat format, HostileCorpus c, int kinds) throws Exception {
        assertEquals(kinds, c.kinds.size(), "every kind present: " + c.kinds);
        assertTrue(format == ObservationFormat.JSON || c.goodCount >= 100_000 && c.badCount >= 10_000,
                c.goodCount + " good, " + c.badCount + " bad");
        Map<String, Forecast> mixed = run(name, format, c.records, c.goodCount);
        Map<DeadLetterReason, Integer> reasons = deadLetters(name, c.badCount);
        assertEquals(c.expected, reasons, "dead letters per reason; kinds " + c.kinds);
        Map<String, Forecast> alone = run(name + "-good", format, c.good, c.goodCount);
        assertEquals(c.goodCount, mixed.size());
        int differing = 0;
        String first = null;
        for (Map.Entry<String, Forecast> e : alone.entrySet()) {
            if (!e.getValue().equals(mixed.get(e.getKey()))) {
                differing++;
                first = first == null ? e.getKey() + ": " + e.getValue() + " vs " + mixed.get(e.getKey()) : first;
            }
        }
        assertEquals(0, differing, "forecasts that differ from the good-only run; first " + first);
        System.out.printf("hostile_corpus format=%s good=%d bad=%d kinds=%d reasons=%s%n", format, c.goodCount,
                c.badCount, c.kinds.size(), reasons);
    }

    /** Runs the job over {@code records}; returns its forecasts by key and event time. */
    private static Map<String, Forecast> run(String name, ObservationFormat format, List<byte[][]> records,
            int goodCount) throws Exception {
        kafka.createTopic(name + "-in", 2);
        kafka.createTopic(name + "-out", 2);
        kafka.createTopic(name + "-dead", 1);
        kafka.produce(name + "-in", records);
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(500);
        RnnForecaster f = RnnForecaster.builder().model(MODEL, "hostile", "1").batchSize(256)
                .duplicates(DuplicatePolicy.REJECT).anomalyScoring(true).intervals(0.9)
                .backend(BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1)).build();
        KafkaForecastPipeline.builder().bootstrapServers(kafka.bootstrapServers()).observationsTopic(name + "-in")
                .forecastsTopic(name + "-out").deadLettersTopic(name + "-dead").groupId(name + "-job").format(format)
                .transactionTimeout(Duration.ofMinutes(5)).bounded(true).forecaster(f).build().addTo(env);
        env.execute(name);
        List<ConsumerRecord<byte[], byte[]>> out = kafka.consume(name + "-out", goodCount, Duration.ofSeconds(90),
                Duration.ofSeconds(1));
        assertEquals(goodCount, out.size(), name + ": every good record forecast exactly once");
        AvroCodec<Forecast> codec = new AvroCodec<>(Forecast.class);
        Map<String, Forecast> byKeyAndTime = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : out) {
            Forecast fc = codec.decode(r.value());
            byKeyAndTime.put(fc.getKey() + "@" + fc.getEventTime().toEpochMilli(), fc);
        }
        return byKeyAndTime;
    }

    private static Map<DeadLetterReason, Integer> deadLetters(String name, int expected) throws Exception {
        AvroCodec<DeadLetter> codec = new AvroCodec<>(DeadLetter.class);
        Map<DeadLetterReason, Integer> reasons = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : kafka.consume(name + "-dead", expected, Duration.ofSeconds(60),
                Duration.ofSeconds(3))) {
            assertTrue(r.serializedValueSize() < 80 * 1024, "a dead letter of " + r.serializedValueSize() + " bytes");
            DeadLetter d = codec.decode(r.value());
            assertTrue(!d.getMessage().isBlank(), "a dead letter says why");
            reasons.merge(d.getReason(), 1, Integer::sum);
        }
        return reasons;
    }
}
