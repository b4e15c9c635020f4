package io.flinkrnn.cli;

import io.flinkrnn.cli.kafka.ModelUpdatePublisher;
import io.flinkrnn.cli.options.Choices;
import io.flinkrnn.cli.options.Durations;
import io.flinkrnn.cli.options.Numbers;
import io.flinkrnn.schemas.ModelStatePolicy;
import io.flinkrnn.schemas.ModelUpdate;
import io.flinkrnn.stepper.artifact.ModelArtifacts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flink-rnn publish-model --model M.avro --model-id ID --version N (--effective-from TIME |
 * --effective-in DURATION) [--uri URI] [--state keep|reset] [--bootstrap-servers HOST:PORT] [--topic T]
 * [--kafka-config FILE.properties]}: puts a
 * new model into a running job through its control topic. The artifact is checked here first, so a broken
 * file is refused before any job sees it.
 */
@Command(name = "publish-model", sortOptions = false,
        description = {"puts a new model into a running job through its control topic (model updates)",
            "Publish before the stream reaches the effective time: see docs/MODEL-UPDATES.md."})
final class PublishModelCommand extends CliCommand {
    @Option(names = "--model", required = true, paramLabel = "M.avro",
            description = "the new model artifact, checked here before any job sees it")
    Path file;

    @Option(names = "--model-id", required = true, paramLabel = "ID", description = "the job's model.id")
    String modelId;

    @Option(names = "--version", required = true, paramLabel = "N", converter = Numbers.AtLeastOne.class,
            description = "the new version, above the running one")
    int version;

    @Option(names = "--effective-from", paramLabel = "TIME",
            description = "event time (ISO-8601, e.g. 2026-12-02T10:00:00Z) from which keys switch")
    String effectiveFrom;

    @Option(names = "--effective-in", paramLabel = "DURATION", converter = Durations.class,
            description = "or: this long from now, for a live stream (default: ${DEFAULT-VALUE})")
    Duration effectiveIn = Duration.ofSeconds(10);

    @Option(names = "--uri", paramLabel = "URI",
            description = "where every TaskManager reads the artifact (file://, s3://, hdfs://) (default: the"
                    + " artifact travels inline, up to " + ModelUpdatePublisher.MAX_INLINE_BYTES / 1024 + " KiB)")
    String uri;

    @Option(names = "--state", paramLabel = "keep|reset", converter = Choices.StatePolicies.class,
            completionCandidates = Choices.StatePolicies.class,
            description = "keep each key's state where the layouts match, or reset all (default: ${DEFAULT-VALUE})")
    ModelStatePolicy state = ModelStatePolicy.KEEP;

    @Option(names = "--bootstrap-servers", paramLabel = "S", description = "Kafka (default: ${DEFAULT-VALUE})")
    String bootstrapServers = "localhost:9092";

    @Option(names = "--topic", paramLabel = "T", description = "the job's control topic (default: ${DEFAULT-VALUE})")
    String topic = "model-updates";

    @Option(names = "--kafka-config", paramLabel = "FILE.properties",
            description = "Kafka client properties for a secured cluster (security.protocol, sasl.jaas.config, ...),"
                    + " as Kafka's own tools take them")
    Path kafkaConfig;

    @Override
    public Integer call() throws Exception {
        if (effectiveFrom != null && given("--effective-in")) {
            throw usage("give --effective-from or --effective-in, not both");
        }
        Instant effective = effective();
        if (!Files.isRegularFile(file)) {
            throw usage("--model " + file + ": no such file");
        }
        byte[] bytes = Files.readAllBytes(file);
        try {
            ModelArtifacts.read(new ByteArrayInputStream(bytes), file.toString());
        } catch (IOException | RuntimeException e) {
            throw new UsageException("publish-model: " + e.getMessage(), e);
        }
        if (uri == null && bytes.length > ModelUpdatePublisher.MAX_INLINE_BYTES) {
            throw usage(file + " is " + bytes.length + " bytes, more than the " + ModelUpdatePublisher.MAX_INLINE_BYTES
                    + " sent inline: put it where the TaskManagers read it and pass --uri");
        }
        Properties client = new Properties();
        if (kafkaConfig != null) {
            try (Reader r = Files.newBufferedReader(kafkaConfig, StandardCharsets.UTF_8)) {
                client.load(r);
            } catch (IOException e) {
                throw usage("--kafka-config " + kafkaConfig + ": " + (e instanceof NoSuchFileException ? "no such file"
                        : e.getMessage()));
            }
        }
        ModelUpdate u = ModelUpdatePublisher.update(bytes, modelId, version, effective, uri, state);
        long offset = ModelUpdatePublisher.publish(bootstrapServers, client, topic, u);
        out().println("publish-model: " + modelId + " version " + version + " (sha256 " + u.getSha256() + ", "
                + (uri == null ? bytes.length + " bytes inline" : uri) + ") effective from " + effective + ", state "
                + Choices.spell(state) + ": written to " + topic + " at offset " + offset);
        return 0;
    }

    private Instant effective() {
        if (effectiveFrom != null) {
            try {
                return Instant.parse(effectiveFrom);
            } catch (DateTimeParseException e) {
                throw usage("--effective-from must be an ISO-8601 instant such as 2026-12-02T10:00:00Z, got '"
                        + effectiveFrom + "'");
            }
        }
        return Instant.now().plus(effectiveIn);
    }
}
