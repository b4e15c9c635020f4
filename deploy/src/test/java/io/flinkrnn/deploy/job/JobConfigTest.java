package io.flinkrnn.deploy.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.stepper.ForecastModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {

    @Test
    void yamlNestedOrDottedThenCommandLineWins(@TempDir Path tmp) throws Exception {
        Path yaml = tmp.resolve("job.yaml");
        Files.writeString(yaml, "model:\n  uri: s3://models/m.avro\nkafka.bootstrap-servers: kafka:9092\n"
                + "batch:\n  size: 512\n  max-latency: 20ms\n");
        JobConfig c = JobConfig.parse(new String[] {"--config", yaml.toString(), "--batch.size", "64",
            "--state.ttl=2h"});
        assertEquals("s3://models/m.avro", c.get(ModelOptions.URI));
        assertEquals("kafka:9092", c.get(KafkaOptions.BOOTSTRAP_SERVERS));
        assertEquals(64, c.get(StepOptions.BATCH_SIZE));
        assertEquals(Duration.ofMillis(20), c.get(StepOptions.BATCH_MAX_LATENCY));
        assertEquals(Duration.ofHours(2), c.get(StateOptions.TTL));
        assertNull(c.optional(InputOptions.EVENT_TIME_BOUND).orElse(null));
        assertEquals(KafkaOptions.Delivery.EXACTLY_ONCE, c.get(KafkaOptions.DELIVERY_GUARANTEE));
    }

    @Test
    void kafkaClientPropertiesPassAsKafkaSpellsThemAndAreNeverLogged() {
        JobConfig c = JobConfig.fromYaml("kafka:\n  properties:\n    security.protocol: SASL_SSL\n"
                + "    sasl.jaas.config: 'PlainLoginModule required password=\"s3cret\";'\n"
                + "    ssl.enabled.protocols: [TLSv1.2, TLSv1.3]\n", "job.yaml");
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.jaas.config",
                "PlainLoginModule required password=\"s3cret\";", "ssl.enabled.protocols", "TLSv1.2,TLSv1.3"),
                c.kafkaClientProperties());
        assertEquals("***", c.effective().get("kafka.properties.sasl.jaas.config"));
        assertFalse(c.effective().toString().contains("s3cret"));
        JobConfigException e = assertThrows(JobConfigException.class, () -> JobConfig.parse(new String[] {
            "--kafka.properties.group.id", "other"}).kafkaClientProperties());
        assertEquals("kafka.properties.group.id (from command line): Kafka client property group.id is set by the"
                + " pipeline; use the group id setting", e.getMessage());
        e = assertThrows(JobConfigException.class, () -> JobConfig.parse(new String[] {"--kafka.properties.",
            "x"}));
        assertTrue(e.getMessage().contains("unknown setting 'kafka.properties.'"), e.getMessage());
    }

    @Test
    void badSettingsFailNamingTheSetting() {
        JobConfigException e = assertThrows(JobConfigException.class,
                () -> JobConfig.fromYaml("topics:\n  observation: x\n", "job.yaml"));
        assertTrue(e.getMessage().contains("unknown setting 'topics.observation' in job.yaml"), e.getMessage());
        e = assertThrows(JobConfigException.class, () -> JobConfig.parse(new String[0]).get(ModelOptions.URI));
        assertTrue(e.getMessage().startsWith("setting model.uri is required"), e.getMessage());
        e = assertThrows(JobConfigException.class, () -> JobConfig.parse(new String[] {"--checkpoint.interval",
            "often"}).get(StateOptions.CHECKPOINT_INTERVAL));
        assertTrue(e.getMessage().contains("checkpoint.interval must be a duration") && e.getMessage()
                .contains("from command line"), e.getMessage());
        e = assertThrows(JobConfigException.class, () -> JobConfig.parse(new String[] {"--delivery.guarantee",
            "maybe"}).get(KafkaOptions.DELIVERY_GUARANTEE));
        assertTrue(e.getMessage().contains("delivery.guarantee must be one of exactly-once, at-least-once"));
        e = assertThrows(JobConfigException.class, () -> JobConfig.fromYaml("- a\n- b\n", "list.yaml"));
        assertTrue(e.getMessage().contains("must be a mapping"));
    }

    @Test
    void theJobFailsAtStartOnAMissingOrBadModel(@TempDir Path tmp) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobConfigException e = assertThrows(JobConfigException.class, () -> FlinkRnnJob.build(env,
                JobConfig.parse(new String[] {"--model.uri", tmp.resolve("none.avro").toString()}), s -> s));
        assertTrue(e.getMessage().contains("none.avro: no such file"), e.getMessage());
        Path bad = tmp.resolve("bad.avro");
        Files.writeString(bad, "not an artifact");
        e = assertThrows(JobConfigException.class, () -> FlinkRnnJob.build(env,
                JobConfig.parse(new String[] {"--model.uri", "file://" + bad}), s -> s));
        assertTrue(e.getMessage().contains("not a readable model artifact"), e.getMessage());
        e = assertThrows(JobConfigException.class, () -> FlinkRnnJob.build(env,
                JobConfig.parse(new String[] {"--model.uri", bad.toString(), "--delivery.transaction-timeout", "1s"}),
                s -> s));
        assertTrue(e.getMessage().contains("delivery.transaction-timeout"), e.getMessage());
        e = assertThrows(JobConfigException.class, () -> FlinkRnnJob.build(env, JobConfig.parse(new String[] {
            "--model.uri", bad.toString(), "--input.max-values", "0"}), s -> s));
        assertTrue(e.getMessage().startsWith("input.max-values must be in 1.."), e.getMessage());
        e = assertThrows(JobConfigException.class, () -> FlinkRnnJob.build(env, JobConfig.parse(new String[] {
            "--model.uri", bad.toString(), "--order.max-event-time-ahead", "soon"}), s -> s));
        assertTrue(e.getMessage().startsWith("order.max-event-time-ahead must be a duration"), e.getMessage());
    }

    @Test
    void modelUpdateSettingsAreChecked(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("m.avro");
        try (java.io.OutputStream out = Files.newOutputStream(model)) {
            io.flinkrnn.stepper.artifact.ModelArtifacts.write(ForecastModel.of(io.flinkrnn.kernels.model.RandomInit
                    .model(io.flinkrnn.kernels.model.CellType.GRU, io.flinkrnn.kernels.model.GruResetMode.AFTER_PRODUCT,
                    1, 4, 1, 2, 1)), java.util.Map.of(), out);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobConfigException e = assertThrows(JobConfigException.class, () -> FlinkRnnJob.build(env, JobConfig.parse(
                new String[] {"--model.uri", model.toString(), "--topics.model-updates", "observations"}), s -> s));
        assertEquals("topics.model-updates must differ from topics.observations, both are 'observations'",
                e.getMessage());
        e = assertThrows(JobConfigException.class, () -> FlinkRnnJob.build(env, JobConfig.parse(new String[] {
            "--model.uri", model.toString(), "--topics.model-updates", "models", "--model-updates.granularity", "0s"}),
                s -> s));
        assertTrue(e.getMessage().contains("model-updates.granularity must be at least 1 ms"), e.getMessage());
        assertFalse(env.getConfig().isObjectReuseEnabled(), "a build that fails its settings' checks leaves the environment as it was");
        assertEquals("job", FlinkRnnJob.build(env, JobConfig.parse(new String[] {"--model.uri", model.toString(),
            "--topics.model-updates", "models", "--job.name", "job"}), s -> s));
        assertTrue(env.getConfig().isObjectReuseEnabled(), "the job passes records between its operators by reference");
    }

    @Test
    void theJobRefusesAClientPropertyThatWouldWeakenItsGuaranteesAtBuild(@TempDir Path tmp) throws Exception {
        Path model = gruModel(tmp);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        JobConfigException e = assertThrows(JobConfigException.class, () -> FlinkRnnJob.build(env, JobConfig.parse(
                new String[] {"--model.uri", model.toString(), "--topics.model-updates", "models",
                    "--kafka.properties.acks", "1"}), s -> s));
        assertEquals("kafka.properties.acks (from command line): Kafka client property acks must be all (or -1):"
                + " with 1 a broker's failure loses acknowledged forecasts", e.getMessage());
        assertEquals("job", FlinkRnnJob.build(env, JobConfig.parse(new String[] {"--model.uri", model.toString(),
            "--topics.model-updates", "models", "--job.name", "job", "--kafka.properties.security.protocol",
            "SASL_SSL"}), s -> s));
    }

    static Path gruModel(Path tmp) throws Exception {
        Path model = tmp.resolve("m.avro");
        try (java.io.OutputStream out = Files.newOutputStream(model)) {
            io.flinkrnn.stepper.artifact.ModelArtifacts.write(ForecastModel.of(io.flinkrnn.kernels.model.RandomInit
                    .model(io.flinkrnn.kernels.model.CellType.GRU, io.flinkrnn.kernels.model.GruResetMode.AFTER_PRODUCT,
                    2, 4, 1, 2, 1)), java.util.Map.of(), out);
        }
        return model;
    }

    @Test
    void registryAndFieldSettingsAreCheckedAtStartNamingTheSetting(@TempDir Path tmp) throws Exception {
        String model = gruModel(tmp).toString();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        java.util.function.Function<String[], String> failure = extra -> {
            String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("--model.uri", model),
                    java.util.Arrays.stream(extra)).toArray(String[]::new);
            return assertThrows(JobConfigException.class, () -> FlinkRnnJob.build(env, JobConfig.parse(args),
                    s -> s)).getMessage();
        };
        assertEquals("registry.url must be set for input.format avro-registry",
                failure.apply(new String[] {"--input.format", "avro-registry"}));
        assertEquals("registry.url must be set for output.format avro-registry",
                failure.apply(new String[] {"--output.format", "avro-registry"}));
        assertTrue(failure.apply(new String[] {"--output.format", "protobuf"}).contains("output.format"));
        assertTrue(failure.apply(new String[] {"--input.format", "avro-registry", "--registry.url", "http://r:8081",
            "--registry.retry.timeout", "soon"}).contains("registry.retry.timeout"));
        assertEquals("input.key-field, input.time-field and input.value-fields need input.format json or"
                + " avro-registry; plain avro carries no schema to find them in", failure.apply(new String[] {
                    "--input.key-field", "id", "--input.time-field", "ts", "--input.value-fields", "a,b"}));
        assertTrue(failure.apply(new String[] {"--input.format", "json", "--input.key-field", "id"})
                .startsWith("input.key-field, input.time-field and input.value-fields are set together"));
        assertTrue(failure.apply(new String[] {"--input.format", "json", "--input.key-field", "id",
            "--input.time-field", "ts", "--input.value-fields", "a"}).contains("names 1 value fields [a], the model"
                + " takes 2 features"));
        assertEquals("job", FlinkRnnJob.build(env, JobConfig.parse(new String[] {"--model.uri", model, "--job.name",
            "job", "--input.format", "avro-registry", "--output.format", "avro-registry", "--registry.url",
            "https://registry:8081", "--input.key-field", "device.id", "--input.time-field", "ts",
            "--input.value-fields", "load, temp", "--output.subject-strategy", "record-name"}), s -> s));
    }

    @Test
    void registryCredentialsNeverReachTheStartUpLog() {
        JobConfig c = JobConfig.parse(new String[] {"--registry.basic-auth.user-info", "flink:hunter2",
            "--registry.ssl.truststore.password", "storepw", "--registry.url", "https://r"});
        String log = c.effective().toString();
        assertTrue(!log.contains("hunter2") && !log.contains("storepw") && log.contains("https://r"), log);
        assertEquals("flink:hunter2", c.flinkConfiguration().get(
                io.flinkrnn.operators.kafka.registry.RegistryOptions.BASIC_AUTH_USER_INFO));
    }

    @Test
    void typedOptionsAppearAsSettingsWithTheirOwnDefaults() {
        JobOption timeout = JobOptions.find("registry.retry.timeout").orElseThrow();
        assertEquals("1min", timeout.defaultValue());
        assertEquals(Duration.ofMinutes(1), JobConfig.parse(new String[0]).get(
                io.flinkrnn.operators.kafka.registry.RegistryOptions.RETRY_TIMEOUT));
        assertEquals("topic-name", JobOptions.find("output.subject-strategy").orElseThrow().defaultValue());
        assertEquals("avro", JobOptions.find("output.format").orElseThrow().defaultValue());
        assertTrue(JobOptions.find("registry.url").orElseThrow().description().startsWith("Confluent-compatible"));
    }

    @Test
    void anomalyScoringNeedsEveryTargetAmongTheInputs() {
        io.flinkrnn.kernels.model.RnnModel m = io.flinkrnn.kernels.model.RandomInit.model(
                io.flinkrnn.kernels.model.CellType.LSTM, io.flinkrnn.kernels.model.GruResetMode.AFTER_PRODUCT, 2, 4,
                1, 3, 1);
        ForecastModel observed = ForecastModel.builder(m).features(java.util.List.of("load", "temp"))
                .targets(java.util.List.of("temp")).build();
        assertTrue(FlinkRnnJob.anomalyScoring("auto", observed));
        assertTrue(!FlinkRnnJob.anomalyScoring("off", observed));
        ForecastModel other = ForecastModel.builder(m).features(java.util.List.of("load", "temp"))
                .targets(java.util.List.of("ot")).build();
        assertTrue(!FlinkRnnJob.anomalyScoring("auto", other), "auto: off when a target is not an input");
        JobConfigException e = assertThrows(JobConfigException.class, () -> FlinkRnnJob.anomalyScoring("on", other));
        assertTrue(e.getMessage().contains("targets [ot] are not all among the model's input features"),
                e.getMessage());
    }

    @Test
    void stateBackendSettingsBecomeTheJobsFlinkConfiguration() {
        org.apache.flink.configuration.Configuration none = StateBackendSettings.of(JobConfig.parse(new String[0]));
        assertTrue(none.toMap().isEmpty(), "left at cluster, nothing overrides the cluster's choice: " + none);
        org.apache.flink.configuration.Configuration rocks = StateBackendSettings.of(JobConfig.fromYaml(
                "state:\n  backend: RocksDB\n  incremental-checkpoints: true\ncheckpoint.dir: file:///tmp/cp\n",
                "job.yaml"));
        assertEquals("rocksdb", rocks.get(org.apache.flink.configuration.StateBackendOptions.STATE_BACKEND));
        assertEquals(true, rocks.get(org.apache.flink.configuration.CheckpointingOptions.INCREMENTAL_CHECKPOINTS));
        assertEquals("file:///tmp/cp", rocks.get(org.apache.flink.configuration.CheckpointingOptions
                .CHECKPOINTS_DIRECTORY));
        JobConfigException e = assertThrows(JobConfigException.class, () -> StateBackendSettings.of(JobConfig.parse(
                new String[] {"--state.backend", "hashmap", "--state.incremental-checkpoints", "true"})));
        assertTrue(e.getMessage().startsWith("state.incremental-checkpoints true needs state.backend rocksdb"),
                e.getMessage());
        e = assertThrows(JobConfigException.class, () -> StateBackendSettings.of(JobConfig.parse(
                new String[] {"--state.backend", "disk"})));
        assertTrue(e.getMessage().startsWith("state.backend must be one of cluster, hashmap, rocksdb, got 'disk'"),
                e.getMessage());
    }

    @Test
    void helpListsEverySettingWithItsDefault() {
        String help = JobConfig.help();
        for (JobOption o : JobOptions.ALL) {
            assertTrue(help.contains(o.name()), o.name());
            if (o.defaultValue() != null && !o.defaultValue().isEmpty()) {
                assertTrue(help.contains("default: " + o.defaultValue()), o.name());
            }
        }
        assertTrue(help.contains("model.uri") && help.contains("(required)"));
    }

    @Test
    void theReadmeDocumentsEverySetting() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (JobOption o : JobOptions.ALL) {
            assertTrue(readme.contains("| `" + o.name() + "` |"), "README's settings table lacks " + o.name());
            String shown = o.defaultValue() == null ? "(required)" : o.defaultValue().isEmpty() ? "(empty)"
                    : o.defaultValue();
            assertTrue(readme.contains("| `" + o.name() + "` | " + shown + " |"), "README's default of " + o.name()
                    + " is not " + shown);
        }
    }
}
