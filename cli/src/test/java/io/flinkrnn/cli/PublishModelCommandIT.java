package io.flinkrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.kernels.model.CellType;
import io.flinkrnn.kernels.model.GruResetMode;
import io.flinkrnn.kernels.model.RandomInit;
import io.flinkrnn.operators.kafka.AvroCodec;
import io.flinkrnn.operators.update.ModelUpdateLoader;
import io.flinkrnn.schemas.ModelStatePolicy;
import io.flinkrnn.schemas.ModelUpdate;
import io.flinkrnn.stepper.ForecastModel;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import io.flinkrnn.testkit.EmbeddedKafka;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** publish-model against a real broker: what it writes, and what it refuses before writing anything. */
class PublishModelCommandIT {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        out.reset();
        err.reset();
        return FlinkRnnCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** A small GRU's artifact in {@code tmp}. */
    static Path model(Path tmp) throws Exception {
        Path model = tmp.resolve("m.avro");
        try (OutputStream o = Files.newOutputStream(model)) {
            ModelArtifacts.write(ForecastModel.of(RandomInit.model(CellType.GRU, GruResetMode.AFTER_PRODUCT, 1, 4, 1, 2,
                    1)), Map.of(), o);
        }
        return model;
    }

    @Test
    void writesAnUpdateTheJobReadsAndRefusesBadInputFirst(@TempDir Path tmp) throws Exception {
        Path model = model(tmp);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"))) {
            kafka.createTopic("model-updates", 1);
            String servers = kafka.bootstrapServers();
            assertEquals(0, run("publish-model", "--model", model.toString(), "--model-id", "load", "--version", "7",
                    "--effective-from", "2026-12-02T10:00:00Z", "--bootstrap-servers", servers), err.toString());
            assertTrue(out.toString().contains("load version 7") && out.toString().contains("at offset 0"),
                    out.toString());
            assertEquals(0, run("publish-model", "--model", model.toString(), "--model-id", "load", "--version", "8",
                    "--uri", "s3://models/m.avro", "--state", "reset", "--effective-in", "1min", "--bootstrap-servers",
                    servers), err.toString());
            List<ConsumerRecord<byte[], byte[]>> records = kafka.consume("model-updates", 2, Duration.ofSeconds(30),
                    Duration.ZERO);
            AvroCodec<ModelUpdate> codec = new AvroCodec<>(ModelUpdate.class);
            ModelUpdate inline = codec.decode(records.get(0).value());
            byte[] bytes = Files.readAllBytes(model);
            assertEquals("load", inline.getModelId());
            assertEquals(7, inline.getVersion());
            assertEquals(ModelUpdateLoader.sha256(bytes), inline.getSha256());
            assertEquals(bytes.length, inline.getArtifact().remaining());
            assertEquals(Instant.parse("2026-12-02T10:00:00Z"), inline.getEffectiveFrom());
            assertEquals(ModelStatePolicy.KEEP, inline.getState());
            ModelUpdate byUri = codec.decode(records.get(1).value());
            assertNull(byUri.getArtifact());
            assertEquals("s3://models/m.avro", byUri.getUri());
            assertEquals(ModelStatePolicy.RESET, byUri.getState());
            assertTrue(byUri.getEffectiveFrom().isAfter(Instant.now().plusSeconds(30)), "a minute from now");

            Path broken = tmp.resolve("broken.avro");
            Files.writeString(broken, "not a model");
            assertEquals(2, run("publish-model", "--model", broken.toString(), "--model-id", "load", "--version", "9",
                    "--bootstrap-servers", servers));
            assertTrue(err.toString().contains(broken + ": not a readable model artifact"), err.toString());
            assertEquals(2, run("publish-model", "--model", model.toString(), "--model-id", "load", "--version", "9",
                    "--effective-from", "tomorrow", "--bootstrap-servers", servers));
            assertTrue(err.toString().contains("--effective-from must be an ISO-8601 instant"), err.toString());
            assertEquals(2, run("publish-model", "--model", model.toString(), "--version", "9"));
            assertTrue(err.toString().contains("Missing required option: '--model-id=ID'"), err.toString());
            assertEquals(2, kafka.consume("model-updates", 3, Duration.ofSeconds(2), Duration.ZERO).size(),
                    "nothing written for the refused ones");
        }
    }

    @Test
    void publishesToASecuredClusterWithItsClientProperties(@TempDir Path tmp) throws Exception {
        Path model = model(tmp);
        Path config = tmp.resolve("client.properties");
        Files.writeString(config, "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\nsasl.jaas.config="
                + EmbeddedKafka.plainLogin("username", "ops", "password", "ops-secret") + "\n");
        try (EmbeddedKafka kafka = EmbeddedKafka.startWithSasl(tmp.resolve("kafka"), "ops", "ops-secret")) {
            kafka.createTopic("model-updates", 1);
            assertEquals(0, run("publish-model", "--model", model.toString(), "--model-id", "load", "--version", "3",
                    "--bootstrap-servers", kafka.saslBootstrapServers(), "--kafka-config", config.toString()),
                    err.toString());
            ModelUpdate u = new AvroCodec<>(ModelUpdate.class).decode(kafka.consume("model-updates", 1,
                    Duration.ofSeconds(30), Duration.ZERO).get(0).value());
            assertEquals(3, u.getVersion());
            assertEquals(2, run("publish-model", "--model", model.toString(), "--model-id", "load", "--version", "4",
                    "--bootstrap-servers", kafka.saslBootstrapServers(), "--kafka-config", tmp.resolve("no.properties")
                    .toString()));
            assertTrue(err.toString().contains("--kafka-config " + tmp.resolve("no.properties") + ": no such file"),
                    err.toString());
        }
    }
}
