package io.flinkrnn.operators.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.BackendKind;
import io.flinkrnn.kernels.BackendOptions;
import io.flinkrnn.kernels.RandomModels;
import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RnnModel;
import io.flinkrnn.operators.RnnForecaster;
import io.flinkrnn.operators.update.ModelUpdateFeed;
import io.flinkrnn.schemas.Forecast;
import io.flinkrnn.schemas.Observation;
import io.flinkrnn.testkit.EmbeddedKafka;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pipeline against a secured cluster: a broker whose listener admits only a SASL/PLAIN user. Given the user's
 * client properties, the source, both sinks and the model-update reader authenticate, and every observation is
 * forecast exactly once; with a wrong password the reader fails, so the listener does demand them.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KafkaClientPropertiesIT {
    static final RnnModel MODEL = RandomModels.model(CellType.GRU, GruResetMode.AFTER_PRODUCT, 1, 8, 1, 1, 4);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static EmbeddedKafka kafka;

    @BeforeAll
    static void broker() throws Exception {
        kafka = EmbeddedKafka.startWithSasl(Files.createTempDirectory("kafka-sasl-"), "alice", "alice-secret");
    }

    @AfterAll
    static void stop() throws Exception {
        kafka.close();
    }

    static Map<String, String> alice(String password) {
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
                EmbeddedKafka.plainLogin("username", "alice", "password", password));
    }

    @Test
    void theModelUpdateReaderAuthenticatesWithThemAndAWrongPasswordFailsTheRead() throws Exception {
        kafka.createTopic("sasl-updates", 1);
        kafka.produce("sasl-updates", List.of(new byte[][] {null, "u1".getBytes(StandardCharsets.UTF_8)},
                new byte[][] {null, "u2".getBytes(StandardCharsets.UTF_8)}));
        KafkaModelUpdateFeed feed = FlinkRnnKafka.modelUpdates(kafka.saslBootstrapServers(), "sasl-updates",
                KafkaClientProperties.of(alice("alice-secret")));
        try (ModelUpdateFeed.Reader r = feed.open(Map.of())) {
            List<String> read = new ArrayList<>();
            for (ModelUpdateFeed.Record u : r.readToEnd()) {
                read.add(new String(u.value, StandardCharsets.UTF_8));
            }
            assertEquals(List.of("u1", "u2"), read);
        }
        KafkaModelUpdateFeed wrong = new KafkaModelUpdateFeed(kafka.saslBootstrapServers(), "sasl-updates",
                Duration.ofSeconds(20), KafkaClientProperties.of(alice("not-her-password")));
        try (ModelUpdateFeed.Reader r = wrong.open(Map.of())) {
            IOException e = assertThrows(IOException.class, r::readToEnd);
            assertTrue(ExceptionUtils.findThrowable(e, SaslAuthenticationException.class).isPresent(),
                    ExceptionUtils.stringifyException(e));
        }
    }

    @Test
    void aSecuredClusterIsReadAndWrittenWithTheClientProperties() throws Exception {
        String name = "sasl";
        kafka.createTopic(name + "-in", 2);
        kafka.createTopic(name + "-out", 1);
        kafka.createTopic(name + "-dead", 1);
        AvroCodec<Observation> codec = new AvroCodec<>(Observation.class);
        List<byte[][]> in = new ArrayList<>();
        for (int s = 0; s < 30; s++) {
            for (int k = 0; k < 4; k++) {
                in.add(new byte[][] {("k" + k).getBytes(StandardCharsets.UTF_8), codec.encode(Observation.newBuilder()
                        .setKey("k" + k).setEventTime(Instant.ofEpochMilli(1000L * (s + 1)))
                        .setValues(List.of(s * 0.1f + k)).build())});
            }
        }
        kafka.produce(name + "-in", in);
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(200);
        RnnForecaster f = RnnForecaster.builder().model(MODEL, name, "1").batchSize(32)
                .backend(BackendOptions.defaults().withKind(BackendKind.JAVA).withThreads(1)).build();
        KafkaForecastPipeline.builder().bootstrapServers(kafka.saslBootstrapServers()).observationsTopic(name + "-in")
                .forecastsTopic(name + "-out").deadLettersTopic(name + "-dead").groupId(name + "-job")
                .clientProperties(alice("alice-secret"))
                .transactionTimeout(Duration.ofMinutes(5)).bounded(true).forecaster(f).build().addTo(env);
        env.execute(name);

        List<ConsumerRecord<byte[], byte[]>> out = kafka.consume(name + "-out", in.size(), Duration.ofSeconds(60),
                Duration.ofSeconds(1));
        assertEquals(in.size(), out.size(), "every observation forecast exactly once");
        AvroCodec<Forecast> fc = new AvroCodec<>(Forecast.class);
        Set<String> seen = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : out) {
            Forecast fcst = fc.decode(r.value());
            seen.add(fcst.getKey() + "@" + fcst.getEventTime().toEpochMilli());
        }
        assertEquals(in.size(), seen.size(), "no observation twice");
    }
}
