package io.flinkrnn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flinkrnn.cli.cluster.ClusterCheck;
import io.flinkrnn.cli.data.DemoSeries;
import io.flinkrnn.testkit.EmbeddedKafka;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code flink-rnn job --config FILE.yaml} as a user runs it: its own JVM, settings from YAML with a
 * command-line override, a real broker; every observation gets its forecast, bit-identical to a replay.
 */
class JobCommandIT {

    @Test
    @Timeout(300)
    void runsTheJobFromAYamlFileWithOverrides() throws Exception {
        Path dir = Files.createDirectories(Paths.get("target", "job-it")).toAbsolutePath();
        PrintStream quiet = new PrintStream(new java.io.ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
            Path model = dir.resolve("model.avro");
            assertEquals(0, FlinkRnnCli.run(new String[] {"check", "model", "--out", model.toString()}, quiet, quiet));
            ClusterCheck.createTopics(kafka.bootstrapServers(), 2, List.of("obs-in", "fc-out", "dl-out"));
            Path yaml = dir.resolve("job.yaml");
            Files.writeString(yaml, String.join("\n",
                    "model:",
                    "  uri: file://" + model,
                    "kafka:",
                    "  bootstrap-servers: " + kafka.bootstrapServers(),
                    "topics:",
                    "  observations: obs-in",
                    "  forecasts: wrong-topic",
                    "  dead-letters: dl-out",
                    "checkpoint.interval: 1s",
                    "batch.max-latency: 10ms",
                    "backend.kind: java",
                    ""));
            List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
                    .toString(), "--add-modules", "jdk.incubator.vector", "-Djava.io.tmpdir=" + dir,
                    "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.flinkrnn.schemas",
                    "--add-opens=java.base/java.util=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    FlinkRnnCli.class.getName(), "job", "--config", yaml.toString(), "--topics.forecasts", "fc-out",
                    "--job.parallelism", "2"));
            Path log = dir.resolve("job.log");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                DemoSeries series = ClusterCheck.series(3, 200);
                ClusterCheck.produce(kafka.bootstrapServers(), "obs-in", series, 0, 200, 5000, quiet);
                ClusterCheck.Verdict v = ClusterCheck.verify(kafka.bootstrapServers(), "fc-out",
                        io.flinkrnn.stepper.artifact.ModelArtifacts.read(Files.newInputStream(model), "m"),
                        series, 200, Duration.ofSeconds(120), Duration.ofSeconds(3), false, quiet);
                assertTrue(p.isAlive(), "the job keeps running:\n" + Files.readString(log));
                assertEquals("lost=0 duplicated=0 mismatched=0", v.line(), Files.readString(log));
                assertEquals(600, v.expected());
            } finally {
                p.destroy();
                p.waitFor(30, TimeUnit.SECONDS);
                p.destroyForcibly();
            }
        }
    }
}
