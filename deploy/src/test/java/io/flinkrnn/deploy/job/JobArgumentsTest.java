package io.flinkrnn.deploy.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The job's command line as picocli reads it: both spellings, later values winning, and one-line errors. */
class JobArgumentsTest {
    @Test
    void takesNameSpaceValueAndNameEqualsValue() {
        JobArguments a = JobArguments.parse(new String[] {"--config", "job.yaml", "--batch.size=64",
                "--kafka.bootstrap-servers", "a:9092,b:9092", "--anomaly.threshold", "-0.5"});
        assertEquals("job.yaml", a.configFile());
        assertEquals(Map.of("batch.size", "64", "kafka.bootstrap-servers", "a:9092,b:9092", "anomaly.threshold",
                "-0.5"), a.settings());
    }

    @Test
    void aValueMayContainEqualsSignsAndBeEmpty() {
        JobArguments a = JobArguments.parse(new String[] {"--registry.basic-auth.user-info=flink:a=b",
                "--order.event-time-bound="});
        assertEquals("flink:a=b", a.settings().get("registry.basic-auth.user-info"));
        assertEquals("", a.settings().get("order.event-time-bound"));
        assertNull(a.configFile());
    }

    @Test
    void helpIsAnOptionNotAValueAndAnAtSignIsNoFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        assertTrue(JobArguments.parse(new String[] {"--batch.size", "64", "--help"}).help());
        assertTrue(JobArguments.parse(new String[] {"-h"}).help());
        assertTrue(!JobArguments.parse(new String[] {"--job.name", "help"}).help());
        // Where a setting's value is due, --help is that setting missing its value, not a request for help.
        JobConfigException e = assertThrows(JobConfigException.class, () -> JobArguments.parse(
                new String[] {"--job.name", "--help"}));
        assertTrue(e.getMessage().contains("--job.name"), e.getMessage());
        JobArguments a;
        java.nio.file.Path team = java.nio.file.Files.writeString(tmp.resolve("team"), "--job.parallelism 9");
        a = JobArguments.parse(new String[] {"--kafka.group-id", "@" + team});
        assertEquals("@" + team, a.settings().get("kafka.group-id"), "a value starting with @ stays as typed");
    }

    @Test
    void theLastOfARepeatedSettingWins() {
        assertEquals("128", JobArguments.parse(new String[] {"--batch.size", "64", "--batch.size=128"}).settings()
                .get("batch.size"));
    }

    @Test
    void anUnknownSettingIsNamedWithTheNearestOnes() {
        JobConfigException e = assertThrows(JobConfigException.class, () -> JobArguments.parse(
                new String[] {"--model.uri", "m.avro", "--batch.sise=64"}));
        assertTrue(e.getMessage().startsWith("unknown setting 'batch.sise' in command line, did you mean "),
                e.getMessage());
        assertTrue(e.getMessage().contains("--batch.size") && e.getMessage().endsWith(
                "(flink-rnn job --help lists every setting)"), e.getMessage());
    }

    @Test
    void kafkaClientPropertiesTakeEitherFormAndTheLastOneWins() {
        JobArguments a = JobArguments.parse(new String[] {"--kafka.properties.security.protocol", "SASL_SSL",
            "--batch.size", "64", "--kafka.properties.sasl.mechanism=PLAIN", "--kafka.properties.sasl.mechanism",
            "SCRAM-SHA-512"});
        assertEquals(Map.of("batch.size", "64", "kafka.properties.security.protocol", "SASL_SSL",
                "kafka.properties.sasl.mechanism", "SCRAM-SHA-512"), a.settings());
        JobConfigException e = assertThrows(JobConfigException.class, () -> JobArguments.parse(new String[] {
            "--kafka.properties.security.protocol", "--batch.size", "64"}));
        assertEquals("setting 'kafka.properties.security.protocol' needs a value (settings look like --name value)",
                e.getMessage());
        e = assertThrows(JobConfigException.class, () -> JobArguments.parse(new String[] {
            "--kafka.properties.security.protocol"}));
        assertEquals("setting 'kafka.properties.security.protocol' needs a value (settings look like --name value)",
                e.getMessage());
    }

    @Test
    void aStrayArgumentOrAMissingValueFailsNamingIt() {
        JobConfigException e = assertThrows(JobConfigException.class, () -> JobArguments.parse(
                new String[] {"model.avro"}));
        assertEquals("unexpected argument 'model.avro' (settings look like --name value)", e.getMessage());
        e = assertThrows(JobConfigException.class, () -> JobArguments.parse(new String[] {"--model.uri"}));
        assertTrue(e.getMessage().contains("--model.uri") && e.getMessage().endsWith(
                "(settings look like --name value)"), e.getMessage());
        e = assertThrows(JobConfigException.class, () -> JobArguments.parse(
                new String[] {"--model.uri", "--batch.size", "64"}));
        assertTrue(e.getMessage().contains("--model.uri"), e.getMessage());
    }
}
